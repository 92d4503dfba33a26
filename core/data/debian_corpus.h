// The built-in summarisation task: Debian package descriptions (long description -> one-line
// synopsis), read from apt's Translation-en and Packages lists. Boilerplate is filtered and
// library/binding families collapsed so that the pairs are real summaries; train, validation
// and test are split by source package so related binaries never straddle splits. The
// pretraining corpus of the starter model is every description whose source package falls
// in the training split.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gt::data {

/// One Translation-en stanza joined with what Packages says of the package.
struct DebianDescription {
    std::string package, sourcePackage, section, md5;
    std::string synopsis;
    std::vector<std::string> paragraphs; ///< the long description, Debian policy 5.6.13
};

struct DebianPair {
    std::string package, sourcePackage, split; ///< split: train / validation / test
    std::string source, summary;
};

struct DebianTaskOptions {
    uint64_t seed = 20240501;
    double validationShare = 0.05, testShare = 0.05;
    int minSourceWords = 40, maxSourceWords = 400;
    int minSummaryWords = 3, maxSummaryWords = 15;
    /// A paragraph met in this many source packages or more is boilerplate and dropped.
    int boilerplateSources = 15;
};

struct DebianTask {
    std::vector<DebianPair> pairs;
    std::vector<std::string> pretrainDocuments; ///< "synopsis\n\nlong description", train only
    std::map<std::string, size_t> dropped;      ///< rule -> descriptions it removed
    size_t descriptions = 0;                    ///< unique descriptions read
};

/// Stanzas of a Debian control-format text (fields with continuation lines).
std::vector<std::map<std::string, std::string>> parseControl(const std::string& text);

/// Reads a Packages or Translation file, compressed or not (apt-helper decompresses .lz4,
/// .xz, .gz as apt stores them). Throws std::runtime_error naming the file.
std::string readAptList(const std::filesystem::path& file);

/// Translation-en stanzas joined with Packages stanzas (Source, Section) by package name.
std::vector<DebianDescription> joinDescriptions(const std::string& translations,
                                                const std::string& packages);

/// "train", "validation" or "test" for a source package: a seeded hash, stable forever.
std::string splitOfSource(const std::string& sourcePackage, const DebianTaskOptions& o);

DebianTask buildDebianTask(const std::vector<DebianDescription>& descriptions,
                           const DebianTaskOptions& options);

/// The Translation-en and Packages lists apt keeps in `listsDir` (all suites and mirrors).
struct AptLists {
    std::vector<std::filesystem::path> translations, packages;
};
AptLists findAptLists(const std::filesystem::path& listsDir);

} // namespace gt::data
