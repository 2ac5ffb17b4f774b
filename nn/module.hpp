#pragma once
// Module: the base of every layer. It owns named parameters (leaf tensors that require grad) and
// named submodules, so a model can list all its parameters with PyTorch's dotted state-dict names
// (`encoder.rnn.weight_ih_l0`), zero their gradients, switch train/eval, and print itself.
// Each concrete module adds its own forward(); there is no virtual forward, so every module's
// forward can take and return exactly what it needs.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.hpp"

namespace glimpse::nn {

using NamedTensor = std::pair<std::string, Tensor>;

class Module {
  public:
    explicit Module(std::string type_name) : type_name_(std::move(type_name)) {}
    virtual ~Module() = default;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    // Parameters of this module and all submodules, depth first, in registration order.
    std::vector<NamedTensor> named_parameters() const;
    std::vector<Tensor> parameters() const;
    std::vector<std::pair<std::string, std::shared_ptr<Module>>> named_children() const {
        return children_;
    }
    int64_t parameter_count() const;  // elements, over all parameters

    void zero_grad();  // forgets every parameter's gradient
    // Freezing: a frozen parameter gets no gradient and the optimizers skip it.
    void requires_grad_(bool on);

    // Training mode (the default) or evaluation mode: dropout obeys it.
    void train(bool on = true);
    void eval() { train(false); }
    bool is_training() const { return training_; }

    const std::string& type_name() const { return type_name_; }
    // One line of configuration after the type name, e.g. "in=4, out=8, bias=true".
    virtual std::string extra_repr() const { return ""; }
    // The model as a tree: each module, its parameters' shapes and counts, and the total.
    std::string summary() const;

  protected:
    // Registers a leaf tensor as a parameter under `name` and returns it (marked requires_grad).
    Tensor register_parameter(std::string name, Tensor value);
    template <typename M>
    std::shared_ptr<M> register_module(std::string name, std::shared_ptr<M> module) {
        add_child(std::move(name), module);
        return module;
    }

  private:
    // Out of line: inlined into every module's constructor, GCC 12 warned falsely about the
    // string's move (-Warray-bounds) when the standard headers came precompiled.
    void add_child(std::string name, std::shared_ptr<Module> module);
    void collect_parameters(const std::string& prefix, std::vector<NamedTensor>& out) const;
    void append_summary(const std::string& name, int depth, std::string& out) const;

    std::string type_name_;
    std::vector<NamedTensor> parameters_;
    std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
    bool training_ = true;
};

}  // namespace glimpse::nn
