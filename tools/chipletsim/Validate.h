#pragma once
// `chipletsim validate`: decide what a file is, decode it fully and print what follows
// from it. Throws ConfigError on the first problem.

#include <ostream>
#include <string>

namespace chipletsim {

/// What a file holds, judged by its folder in configs/ or, failing that, its keys.
enum class FileRole { kPlatform, kWorkload, kPreset };

void validateFile(const std::string& path, std::ostream& os);

}  // namespace chipletsim
