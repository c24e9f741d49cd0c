# Throughput per design point (top) and its breakdown stacked (bottom).
# Called by `chipletsim plot` with: datafile (tab-separated: label, value, ncomp components,
# with a header line), outfile, term ('png' or 'svg'), plottitle, ylabel1, ylabel2, ncomp,
# npoints.
if (term eq 'png') {
  set terminal pngcairo size 1200,800 noenhanced font 'sans,10'
} else {
  set terminal svg size 1200,800 noenhanced font 'sans,10' background '#ffffff'
}
set output outfile
set datafile separator "\t"
set key outside right top
set grid ytics
set style fill solid 0.85 border -1
set boxwidth 0.75
set yrange [0:*]
set xtics rotate by 30 right nomirror
if (npoints > 40) { set xtics font ',6' }
set lmargin 12
set rmargin 22
set multiplot layout 2,1 title plottitle font ',13'
set style data histograms
set style histogram clustered gap 0.4
set ylabel ylabel1
plot datafile using 2:xtic(1) title columnheader(2) linecolor rgb '#3a6fb0'
set style histogram rowstacked
set ylabel ylabel2
array palette[8] = ['#3a6fb0', '#e07b39', '#c0392b', '#8e44ad', '#27ae60', '#7f8c8d', '#f1c40f', '#16a085']
plot for [i=3:2+ncomp] datafile using i:xtic(1) title columnheader(i) linecolor rgb palette[(i-3)%8+1]
unset multiplot
