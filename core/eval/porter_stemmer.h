// The Porter stemmer exactly as NLTK 3.8's PorterStemmer() (mode NLTK_EXTENSIONS) stems, which
// is what Google's rouge_score applies with use_stemmer=True. Input: lower-case ASCII words.
#pragma once

#include <string>

namespace gt::eval {

std::string porterStem(const std::string& word);

} // namespace gt::eval
