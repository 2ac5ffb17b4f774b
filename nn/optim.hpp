#pragma once
// Optimizers: SGD (with momentum, Nesterov, weight decay), Adam and AdamW, with PyTorch's update
// formulas and defaults, so that a training run here and in torch.optim takes the same steps.
// Also clip_grad_norm (torch.nn.utils.clip_grad_norm_).
//
// An optimizer holds handles to the parameters (model.parameters()) and changes their values in
// place, element by element, so the modules that hold the same handles see the new values.
// step() skips a parameter that is frozen (requires_grad false) or has no gradient yet.
//
//     nn::Adam adam(model.parameters(), {.lr = 1e-3});
//     adam.zero_grad();
//     loss.backward();
//     adam.step();

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.hpp"

namespace glimpse::nn {

class Optimizer {
  public:
    Optimizer(std::string name, std::vector<Tensor> params, double lr);
    virtual ~Optimizer() = default;
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    void step();       // one update of every parameter that requires grad and has a gradient
    void zero_grad();  // forgets every parameter's gradient

    double lr() const { return lr_; }
    void set_lr(double lr);  // what the schedulers (nn/lr_scheduler.hpp) call
    const std::vector<Tensor>& params() const { return params_; }

  protected:
    // Updates parameter i in place from its gradient; both contiguous, of one dtype.
    virtual void update(std::size_t i, const Tensor& param, const Tensor& grad) = 0;
    const std::string name_;  // "SGD", for messages

  private:
    std::vector<Tensor> params_;
    double lr_;
};

struct SGDOptions {
    double lr = 1e-3;  // PyTorch 1.13 has no default; 2.x has 1e-3
    double momentum = 0.0;
    double dampening = 0.0;     // scales down the new gradient in the momentum buffer
    double weight_decay = 0.0;  // L2 penalty: adds weight_decay * param to the gradient
    bool nesterov = false;      // needs momentum > 0 and dampening 0
};

// Stochastic gradient descent, as torch.optim.SGD: with g the gradient (+ weight_decay * p),
//   b = g on the first step, then b = momentum * b + (1 - dampening) * g   (when momentum > 0)
//   p = p - lr * (nesterov ? g + momentum * b : b)                         (g itself without it)
class SGD : public Optimizer {
  public:
    SGD(std::vector<Tensor> params, const SGDOptions& options = {});

  private:
    void update(std::size_t i, const Tensor& param, const Tensor& grad) override;
    SGDOptions options_;
    std::vector<Tensor> momentum_buffers_;  // one per parameter, undefined until its first step
};

struct AdamOptions {
    double lr = 1e-3;
    std::pair<double, double> betas = {0.9, 0.999};  // decay of the running mean of g and g^2
    double eps = 1e-8;                               // keeps the denominator away from 0
    double weight_decay = 0.0;                       // L2 penalty added to the gradient
};

// Adam, as torch.optim.Adam: with g the gradient (+ weight_decay * p) and t the step count,
//   m = beta1 m + (1 - beta1) g,        v = beta2 v + (1 - beta2) g^2
//   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// The two corrections undo the bias of m and v towards their zero start in the first steps.
class Adam : public Optimizer {
  public:
    Adam(std::vector<Tensor> params, const AdamOptions& options = {});

  protected:
    // AdamW's constructor: the weight decay shrinks p directly instead of joining the gradient.
    Adam(std::string name, std::vector<Tensor> params, const AdamOptions& options,
         bool decoupled_weight_decay);

  private:
    void update(std::size_t i, const Tensor& param, const Tensor& grad) override;
    AdamOptions options_;
    bool decoupled_weight_decay_;
    struct State {
        int64_t step = 0;
        Tensor exp_avg;     // m: running mean of the gradient
        Tensor exp_avg_sq;  // v: running mean of its square
    };
    std::vector<State> states_;  // one per parameter
};

struct AdamWOptions {
    double lr = 1e-3;
    std::pair<double, double> betas = {0.9, 0.999};
    double eps = 1e-8;
    double weight_decay = 1e-2;  // decoupled: p = p * (1 - lr * weight_decay) before each step
};

// AdamW, as torch.optim.AdamW: Adam whose weight decay is decoupled from the gradient
// (Loshchilov & Hutter), so it does not pass through the adaptive scaling.
class AdamW : public Adam {
  public:
    AdamW(std::vector<Tensor> params, const AdamWOptions& options = {});
};

// Scales every gradient of `params` by max_norm / (total + 1e-6) when that is below 1, where
// total is the L2 norm of all the gradients together (as if concatenated); returns total.
// Parameters without a gradient are left out. Keeps exploding RNN gradients in check.
double clip_grad_norm(const std::vector<Tensor>& params, double max_norm);

}  // namespace glimpse::nn
