#include "nn/module.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace glimpse::nn {

void Module::add_child(std::string name, std::shared_ptr<Module> module) {
    children_.emplace_back(std::move(name), std::move(module));
}

Tensor Module::register_parameter(std::string name, Tensor value) {
    for (const NamedTensor& existing : parameters_) {
        if (existing.first == name) {
            throw Error(fmt::format("{}: parameter '{}' is registered twice", type_name_, name));
        }
    }
    value.requires_grad_(true);
    parameters_.emplace_back(std::move(name), value);
    return value;
}

void Module::collect_parameters(const std::string& prefix, std::vector<NamedTensor>& out) const {
    for (const auto& [name, tensor] : parameters_) out.emplace_back(prefix + name, tensor);
    for (const auto& [name, child] : children_) child->collect_parameters(prefix + name + ".", out);
}

std::vector<NamedTensor> Module::named_parameters() const {
    std::vector<NamedTensor> out;
    collect_parameters("", out);
    return out;
}

std::vector<Tensor> Module::parameters() const {
    std::vector<Tensor> out;
    for (auto& [name, tensor] : named_parameters()) out.push_back(tensor);
    return out;
}

int64_t Module::parameter_count() const {
    int64_t count = 0;
    for (const Tensor& p : parameters()) count += p.numel();
    return count;
}

void Module::zero_grad() {
    for (const Tensor& p : parameters()) p.zero_grad();
}

void Module::requires_grad_(bool on) {
    for (Tensor p : parameters()) p.requires_grad_(on);
}

void Module::train(bool on) {
    training_ = on;
    for (auto& [name, child] : children_) child->train(on);
}

void Module::append_summary(const std::string& name, int depth, std::string& out) const {
    const std::string indent(2 * depth, ' ');
    const std::string config = extra_repr();
    out += fmt::format("{}{}{}{}\n", indent, name.empty() ? "" : name + ": ", type_name_,
                       config.empty() ? "" : "(" + config + ")");
    for (const auto& [param_name, tensor] : parameters_) {
        out += fmt::format("{}  {:<14} {:<12} {:>9}{}\n", indent, param_name,
                           shape_str(tensor.shape()), tensor.numel(),
                           tensor.requires_grad() ? "" : "  (frozen)");
    }
    for (const auto& [child_name, child] : children_) {
        child->append_summary(child_name, depth + 1, out);
    }
}

std::string Module::summary() const {
    std::string out;
    append_summary("", 0, out);
    out += fmt::format("total parameters: {}\n", parameter_count());
    return out;
}

}  // namespace glimpse::nn
