// A line-by-line port of nltk/stem/porter.py (NLTK_EXTENSIONS mode), including its departures
// from the published algorithm (irregular forms, 'ies'/'ied' on 4-letter words, y -> i only
// after a consonant, 'alli' first, 'fulli', 'logi', and words of length <= 2 left alone).
#include "core/eval/porter_stemmer.h"

#include <functional>
#include <map>
#include <vector>

namespace gt::eval {
namespace {

using Cond = std::function<bool(const std::string&)>;
struct Rule {
    std::string suffix, replacement;
    Cond condition; // empty = always
};

bool endsWith(const std::string& w, const std::string& s) {
    return w.size() >= s.size() && w.compare(w.size() - s.size(), s.size(), s) == 0;
}

std::string dropSuffix(const std::string& w, size_t n) {
    return w.substr(0, w.size() - n);
}

bool isConsonant(const std::string& w, size_t i) {
    const char c = w[i];
    if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') return false;
    if (c == 'y') return i == 0 ? true : !isConsonant(w, i - 1);
    return true;
}

int measure(const std::string& stem) {
    int m = 0;
    for (size_t i = 0; i + 1 < stem.size(); ++i)
        if (!isConsonant(stem, i) && isConsonant(stem, i + 1)) ++m; // count of "vc"
    return m;
}

bool positiveMeasure(const std::string& s) {
    return measure(s) > 0;
}

bool containsVowel(const std::string& s) {
    for (size_t i = 0; i < s.size(); ++i)
        if (!isConsonant(s, i)) return true;
    return false;
}

bool endsDoubleConsonant(const std::string& w) {
    return w.size() >= 2 && w[w.size() - 1] == w[w.size() - 2] && isConsonant(w, w.size() - 1);
}

bool endsCvc(const std::string& w) {
    const size_t n = w.size();
    return (n >= 3 && isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1) &&
            w[n - 1] != 'w' && w[n - 1] != 'x' && w[n - 1] != 'y') ||
           (n == 2 && !isConsonant(w, 0) && isConsonant(w, 1));
}

std::string applyRules(const std::string& word, const std::vector<Rule>& rules) {
    for (const Rule& r : rules) {
        if (r.suffix == "*d" && endsDoubleConsonant(word)) {
            const std::string stem = dropSuffix(word, 2);
            return !r.condition || r.condition(stem) ? stem + r.replacement : word;
        }
        if (r.suffix != "*d" && endsWith(word, r.suffix)) {
            const std::string stem = dropSuffix(word, r.suffix.size());
            return !r.condition || r.condition(stem) ? stem + r.replacement : word;
        }
    }
    return word;
}

std::string step1a(const std::string& w) {
    if (endsWith(w, "ies") && w.size() == 4) return dropSuffix(w, 3) + "ie";
    return applyRules(w, {{"sses", "ss", {}}, {"ies", "i", {}}, {"ss", "ss", {}}, {"s", "", {}}});
}

std::string step1b(const std::string& w) {
    if (endsWith(w, "ied")) return dropSuffix(w, 3) + (w.size() == 4 ? "ie" : "i");
    if (endsWith(w, "eed")) {
        const std::string stem = dropSuffix(w, 3);
        return measure(stem) > 0 ? stem + "ee" : w;
    }
    std::string mid;
    bool found = false;
    for (const char* suffix : {"ed", "ing"}) {
        if (endsWith(w, suffix)) {
            mid = dropSuffix(w, std::string(suffix).size());
            if (containsVowel(mid)) {
                found = true;
                break;
            }
        }
    }
    if (!found) return w;
    const char last = mid.empty() ? '\0' : mid.back();
    return applyRules(
        mid, {{"at", "ate", {}},
              {"bl", "ble", {}},
              {"iz", "ize", {}},
              {"*d", std::string(1, last),
               [last](const std::string&) { return last != 'l' && last != 's' && last != 'z'; }},
              {"", "e", [](const std::string& s) { return measure(s) == 1 && endsCvc(s); }}});
}

std::string step1c(const std::string& w) {
    return applyRules(w, {{"y", "i", [](const std::string& s) {
                               return s.size() > 1 && isConsonant(s, s.size() - 1);
                           }}});
}

std::string step2(const std::string& w) {
    if (endsWith(w, "alli") && positiveMeasure(dropSuffix(w, 4)))
        return step2(dropSuffix(w, 4) + "al");
    const Cond pm = positiveMeasure;
    return applyRules(w, {{"ational", "ate", pm},
                          {"tional", "tion", pm},
                          {"enci", "ence", pm},
                          {"anci", "ance", pm},
                          {"izer", "ize", pm},
                          {"bli", "ble", pm},
                          {"alli", "al", pm},
                          {"entli", "ent", pm},
                          {"eli", "e", pm},
                          {"ousli", "ous", pm},
                          {"ization", "ize", pm},
                          {"ation", "ate", pm},
                          {"ator", "ate", pm},
                          {"alism", "al", pm},
                          {"iveness", "ive", pm},
                          {"fulness", "ful", pm},
                          {"ousness", "ous", pm},
                          {"aliti", "al", pm},
                          {"iviti", "ive", pm},
                          {"biliti", "ble", pm},
                          {"fulli", "ful", pm},
                          {"logi", "log",
                           [w](const std::string&) { return positiveMeasure(dropSuffix(w, 3)); }}});
}

std::string step3(const std::string& w) {
    const Cond pm = positiveMeasure;
    return applyRules(w, {{"icate", "ic", pm},
                          {"ative", "", pm},
                          {"alize", "al", pm},
                          {"iciti", "ic", pm},
                          {"ical", "ic", pm},
                          {"ful", "", pm},
                          {"ness", "", pm}});
}

std::string step4(const std::string& w) {
    const Cond m1 = [](const std::string& s) { return measure(s) > 1; };
    return applyRules(w, {{"al", "", m1},
                          {"ance", "", m1},
                          {"ence", "", m1},
                          {"er", "", m1},
                          {"ic", "", m1},
                          {"able", "", m1},
                          {"ible", "", m1},
                          {"ant", "", m1},
                          {"ement", "", m1},
                          {"ment", "", m1},
                          {"ent", "", m1},
                          {"ion", "",
                           [](const std::string& s) {
                               return measure(s) > 1 && !s.empty() &&
                                      (s.back() == 's' || s.back() == 't');
                           }},
                          {"ou", "", m1},
                          {"ism", "", m1},
                          {"ate", "", m1},
                          {"iti", "", m1},
                          {"ous", "", m1},
                          {"ive", "", m1},
                          {"ize", "", m1}});
}

std::string step5a(const std::string& w) {
    if (endsWith(w, "e")) {
        const std::string stem = dropSuffix(w, 1);
        if (measure(stem) > 1) return stem;
        if (measure(stem) == 1 && !endsCvc(stem)) return stem;
    }
    return w;
}

std::string step5b(const std::string& w) {
    return applyRules(
        w, {{"ll", "l", [w](const std::string&) { return measure(dropSuffix(w, 1)) > 1; }}});
}

const std::map<std::string, std::string>& irregular() {
    static const std::map<std::string, std::string> pool = {
        {"sky", "sky"},        {"skies", "sky"},        {"dying", "die"},
        {"lying", "lie"},      {"tying", "tie"},        {"news", "news"},
        {"innings", "inning"}, {"inning", "inning"},    {"outings", "outing"},
        {"outing", "outing"},  {"cannings", "canning"}, {"canning", "canning"},
        {"howe", "howe"},      {"proceed", "proceed"},  {"exceed", "exceed"},
        {"succeed", "succeed"}};
    return pool;
}

} // namespace

std::string porterStem(const std::string& word) {
    if (auto it = irregular().find(word); it != irregular().end()) return it->second;
    if (word.size() <= 2) return word;
    return step5b(step5a(step4(step3(step2(step1c(step1b(step1a(word))))))));
}

} // namespace gt::eval
