#include "core/green/paper_dp.h"

#include <cmath>
#include <stdexcept>

namespace gt::green {

std::vector<int64_t> paperUnits(const std::vector<double>& macs, double total, double tq) {
    std::vector<int64_t> units(macs.size());
    const double scale = tq / total;
    for (size_t i = 0; i < macs.size(); ++i)
        units[i] = static_cast<int64_t>(std::floor(macs[i] * scale));
    return units;
}

PaperDpResult solvePaperDp(const std::vector<int64_t>& dy, const std::vector<int64_t>& dw,
                           const std::vector<double>& value, double rhoBackward) {
    const int n = static_cast<int>(dy.size());
    if (static_cast<int>(dw.size()) != n || static_cast<int>(value.size()) != n)
        throw std::invalid_argument("solvePaperDp: dy, dw and value differ in length");
    PaperDpResult r;
    r.mask.assign(n, 0);
    for (int i = 0; i < n; ++i)
        r.totalUnits += dy[i] + dw[i];
    r.limitUnits = static_cast<int64_t>(rhoBackward * static_cast<double>(r.totalUnits));
    if (n == 0 || r.limitUnits < 0) return r;
    const int64_t tl = r.limitUnits;
    // Reach limit: stop at the first tensor whose cumulative dY exceeds the budget; if none
    // does, the code still stops at N-1 and so never considers the deepest tensor (quirk).
    int k = 0;
    int64_t cum = 0;
    for (k = 0; k < n; ++k) {
        cum += dy[k];
        if (cum > tl) break;
    }
    const int nl = std::min(k, n - 1);
    r.reachLimit = nl;
    const size_t width = static_cast<size_t>(tl) + 1;
    auto at = [width](int kk, int64_t t) { return static_cast<size_t>(kk) * width + t; };
    std::vector<float> L(static_cast<size_t>(nl + 1) * width, 0.0f);
    std::vector<uint8_t> S(L.size(), 0);
    std::vector<int> fromK(L.size(), -1); // back-pointer: -1 = skipped tensor k-1
    std::vector<int64_t> fromT(L.size(), 0);
    for (int64_t t = 0; t <= tl; ++t)
        S[at(0, t)] = 1;
    for (int kk = 1; kk <= nl; ++kk)
        S[at(kk, 0)] = 1;
    double maxImportance = -99999.0;
    int kf = 0;
    int64_t tf = 0;
    for (int kk = 1; kk <= nl; ++kk) {
        for (int64_t t = 0; t <= tl; ++t) {
            const float skip = L[at(kk - 1, t)];
            double lmax = skip;
            int optK = -1;
            int64_t optT = -1;
            int64_t tp = t - dw[kk - 1];
            for (int kp = kk - 1; kp >= 0; --kp) {
                tp -= dy[kp];
                if (tp < 0) break; // dY >= 0: it only falls further
                if (S[at(kp, tp)] == 1) {
                    const double cand = static_cast<double>(L[at(kp, tp)]) + value[kk - 1];
                    if (cand > lmax) {
                        optK = kp;
                        optT = tp;
                        lmax = cand;
                    }
                }
            }
            const size_t cell = at(kk, t);
            if (optK >= 0) {
                L[cell] = static_cast<float>(lmax);
                S[cell] = 1;
                fromK[cell] = optK;
                fromT[cell] = optT;
            } else {
                L[cell] = skip;
                S[cell] = 0;
            }
            if (lmax > maxImportance) {
                maxImportance = L[cell];
                kf = kk;
                tf = t;
            }
        }
    }
    r.value = nl > 0 ? maxImportance : 0.0;
    for (int kk = kf; kk > 0;) { // walk the back-pointers
        const size_t cell = at(kk, tf);
        if (fromK[cell] < 0) {
            --kk;
            continue;
        }
        r.mask[kk - 1] = 1;
        r.cost += dw[kk - 1];
        for (int j = fromK[cell]; j <= kk - 1; ++j)
            r.cost += dy[j];
        const int nk = fromK[cell];
        tf = fromT[cell];
        kk = nk;
    }
    return r;
}

} // namespace gt::green
