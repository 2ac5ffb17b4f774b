// A deliberately wrong a3: the gradient of h misses its direct path g * (1 - f) (h' keeps
// (1 - f) of h), keeping only the paths through the gates. The values are right.
// The checker must fail: every gradient of one step matches PyTorch
// The checker must fail: gradcheck through one and three steps: x, h and every weight
// The checker must fail: equals your a2 mgu_cell_composed over four steps, float32

#include "tutorials/coursework/a3_mgu_fused.hpp"

namespace coursework {

using namespace glimpse;

Tensor mgu_cell_fused(const Tensor& x, const Tensor& h, const nn::CellWeights& w) {
    nn::check_cell_input("mgu_cell_fused", x, w, 2);
    nn::check_cell_state("mgu_cell_fused", "h", h, x, w, 2);
    const int64_t H = h.size(1);
    const Tensor w_hf = w.weight_hh.narrow(0, 0, H);  // [H, H]
    const Tensor w_hn = w.weight_hh.narrow(0, H, H);  // [H, H]
    Tensor f, n, r, out;
    {
        NoGradGuard no_grad;
        const Tensor from_x = matmul(x, w.weight_ih.t()) + w.bias_ih;  // [B, 2H]
        const Tensor bias_hf = w.bias_hh.narrow(0, 0, H);
        const Tensor bias_hn = w.bias_hh.narrow(0, H, H);
        f = sigmoid(from_x.narrow(1, 0, H) + matmul(h, w_hf.t()) + bias_hf);
        r = f * h;
        n = tanh(from_x.narrow(1, H, H) + matmul(r, w_hn.t()) + bias_hn);
        out = (1.0 - f) * h + f * n;
    }
    return record("mgu_cell_fused", {x, h, w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh}, out,
                  [x, h, f, n, r, w_hf, w_hn, w_ih = w.weight_ih](const Tensor& g) {
                      const Tensor d_an = g * f * (1.0 - n * n);                    // [B, H]
                      const Tensor d_r = matmul(d_an, w_hn);                        // [B, H]
                      const Tensor d_af = (g * (n - h) + d_r * h) * f * (1.0 - f);  // [B, H]
                      const Tensor d_gates = cat({d_af, d_an}, 1);                  // [B, 2H]
                      const Tensor d_h =
                          d_r * f + matmul(d_af, w_hf);         // the slip: g * (1 - f) left out
                      const Tensor d_bias = sum(d_gates, {0});  // [2H]
                      return std::vector<Tensor>{
                          matmul(d_gates, w_ih),                               // x
                          d_h,                                                 // h
                          matmul(d_gates.t(), x),                              // weight_ih
                          cat({matmul(d_af.t(), h), matmul(d_an.t(), r)}, 0),  // weight_hh
                          d_bias,                                              // bias_ih
                          d_bias};                                             // bias_hh
                  });
}

}  // namespace coursework
