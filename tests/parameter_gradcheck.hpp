#pragma once
// Gradient checks that cover a module's own parameters.
//
// gradcheck nudges private copies of its inputs (core/gradcheck.cpp), and a module reads its own
// parameters, never those copies: a parameter passed straight to check_gradient compares a zero
// analytic gradient with a zero numeric one, and passes whatever the module's backward does.
// through_parameters() closes that gap. The function it returns takes f's arguments followed by
// one value per parameter; each call copies the values into the parameters, so that nudging a
// value moves the module, and its gradients w.r.t. the values are the ones the module's own
// backward pass put in the parameters' .grad.

#include <cstdint>
#include <string>
#include <vector>

#include "tests/gradcheck_table.hpp"

namespace glimpse::testing {

// f's result y becomes the scalar sum(y * w), w fixed and random: the same product u^T J that
// gradcheck checks for any f, computed once here so that the backward can be run inside.
Function through_parameters(const Function& f, const std::vector<Tensor>& parameters);

// check_gradient of f w.r.t. `args` and every tensor of `parameters`; the parameters get their
// values back afterwards.
void check_gradient_with_parameters(const std::string& name, const Function& f,
                                    const std::vector<Tensor>& args,
                                    const std::vector<Tensor>& parameters,
                                    const GradcheckOptions& options = {});

}  // namespace glimpse::testing
