# Throughput against cost (or latency): every design point, and the Pareto front (no other
# point is both cheaper and faster) joined and labelled.
# Called by `chipletsim plot` with: pointsfile (tab-separated: x, y, label, on-front 0/1) and
# frontfile (x, y, label),
# outfile, term ('png' or 'svg'), plottitle, xlabel, ylabel.
if (term eq 'png') {
  set terminal pngcairo size 1000,700 noenhanced font 'sans,10'
} else {
  set terminal svg size 1000,700 noenhanced font 'sans,10' background '#ffffff'
}
set output outfile
set datafile separator "\t"
NaN = sqrt(-1)
set title plottitle font ',13'
set xlabel xlabel
set ylabel ylabel
set grid
set key outside right top vertical
set rmargin 20
set offsets graph 0.05, graph 0.15, graph 0.1, graph 0.05
plot pointsfile using 1:2 with points pointtype 7 pointsize 1.2 linecolor rgb '#9a9a9a' title 'design points', \
     pointsfile using 1:($4 == 0 ? $2 : NaN):3 with labels offset char 1,char -0.8 left font ',7' textcolor rgb '#7a7a7a' notitle, \
     frontfile using 1:2 with linespoints pointtype 7 pointsize 1.6 linewidth 2 linecolor rgb '#c0392b' title 'Pareto front', \
     frontfile using 1:2:3 with labels offset char 1,char 0.8 left font ',8' notitle
