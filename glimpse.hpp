#pragma once
// One include for a tutorial or a student's file: every public header of glimpse.

#include "core/autograd.hpp"
#include "core/dtype.hpp"
#include "core/error.hpp"
#include "core/gradcheck.hpp"
#include "core/graph_dot.hpp"
#include "core/ops.hpp"
#include "core/print.hpp"
#include "core/random.hpp"
#include "core/shape.hpp"
#include "core/tensor.hpp"
