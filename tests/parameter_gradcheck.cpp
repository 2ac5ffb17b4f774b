#include "tests/parameter_gradcheck.hpp"

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace glimpse::testing {

namespace {

constexpr uint64_t weights_seed = 20261205;

// sum(y * w) with w drawn afresh from the same seed at every call, so every call weighs alike.
Tensor weighted(const Tensor& y) {
    Generator generator(weights_seed);
    return sum(y * uniform(y.shape(), -1, 1, y.dtype(), generator));
}

}  // namespace

Function through_parameters(const Function& f, const std::vector<Tensor>& parameters) {
    return [f, parameters](const Args& values) {
        if (values.size() < parameters.size()) {
            throw Error("through_parameters: fewer values than parameters");
        }
        const std::size_t n_args = values.size() - parameters.size();
        {
            const NoGradGuard no_grad;
            for (std::size_t k = 0; k < parameters.size(); ++k) {
                copy_(parameters[k], values[n_args + k]);
            }
        }
        if (!grad_enabled()) return weighted(f(Args(values.begin(), values.begin() + n_args)));
        // Fresh leaves for f's arguments: the backward below fills their .grad, not gradcheck's.
        Args leaves;
        for (std::size_t k = 0; k < n_args; ++k) {
            const Tensor& x = values[k];
            leaves.push_back(x.requires_grad() ? x.detach().requires_grad_() : x);
        }
        for (const Tensor& p : parameters) p.zero_grad();
        const Tensor total = weighted(f(leaves));
        total.backward();
        std::vector<Tensor> gradients;
        const auto gradient_of = [](const Tensor& x) {
            return x.requires_grad() && x.grad().defined() ? x.grad().detach() : zeros_like(x);
        };
        for (const Tensor& x : leaves) gradients.push_back(gradient_of(x));
        for (const Tensor& p : parameters) gradients.push_back(gradient_of(p));
        return record("through_parameters", values, total.detach(), [gradients](const Tensor& g) {
            std::vector<Tensor> out;
            for (const Tensor& gradient : gradients) out.push_back(g * gradient);
            return out;
        });
    };
}

void check_gradient_with_parameters(const std::string& name, const Function& f,
                                    const std::vector<Tensor>& args,
                                    const std::vector<Tensor>& parameters,
                                    const GradcheckOptions& options) {
    std::vector<Tensor> inputs = args;
    std::vector<Tensor> originals;
    for (const Tensor& p : parameters) {
        inputs.push_back(p);
        originals.push_back(p.detach().clone());
    }
    check_gradient(name, through_parameters(f, parameters), inputs, options);
    const NoGradGuard no_grad;
    for (std::size_t k = 0; k < parameters.size(); ++k) copy_(parameters[k], originals[k]);
}

}  // namespace glimpse::testing
