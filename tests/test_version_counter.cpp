// The version counter (Tensor::version, core/autograd.cpp): an in-place change to a tensor that a
// recorded op used makes backward() refuse, naming the op, instead of computing a wrong gradient.
// The refusals themselves are in the catalogue (tests/test_bad_inputs_core.cpp); here, what
// counts as a change, and what must not be refused.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/optim.hpp"

using namespace glimpse;

TEST_CASE("version counter: copy_, fill_ and an optimizer's step count; views share the count") {
    const Tensor w = ones({4}).requires_grad_();
    CHECK(w.version() == 0);
    copy_(w, zeros({4}));
    fill_(w, 1);
    CHECK(w.version() == 2);
    const Tensor part = w.narrow(0, 1, 2);  // a view: one count for the storage
    fill_(part, 5);
    CHECK(w.version() == 3);
    CHECK(w.detach().version() == 3);
    const Tensor copy = w.clone();  // a copy has a count of its own
    const uint64_t copy_version = copy.version();
    fill_(w, 1);
    CHECK(copy.version() == copy_version);
    CHECK(w.version() == 4);

    nn::SGD sgd({w}, {.lr = 0.1});
    (w * w).sum().backward();
    const uint64_t grad_version = w.grad().version();
    sgd.step();
    CHECK(w.version() == 5);
    CHECK(w.grad().version() == grad_version);  // the step changes the weight, not its gradient
}

TEST_CASE("version counter: changes backward never sees are not refused") {
    const Tensor w = ones({3}).requires_grad_();
    const Tensor x = ones({3});
    const Tensor loss = (x * w).sum();
    fill_(ones({3}), 2);  // some other tensor
    loss.backward();      // then the change after backward: nothing left to protect
    fill_(x, 2);
    CHECK(w.grad().to_vector() == std::vector<double>{1, 1, 1});

    // A tensor changed before the op used it: the op saw the new values.
    const Tensor y = ones({3});
    fill_(y, 3);
    (y * w).sum().backward();
    CHECK(w.grad().to_vector() == std::vector<double>{4, 4, 4});

    // A training loop: forward, backward, step, again; each graph sees the weights it used.
    nn::SGD sgd({w}, {.lr = 0.5});
    for (int step = 0; step < 3; ++step) {
        sgd.zero_grad();
        (w * w).sum().backward();
        sgd.step();
    }
    CHECK(w.version() == 3);
}

TEST_CASE("version counter: a refused backward leaves the graph and the gradients as they were") {
    const Tensor w = ones({2}).requires_grad_();
    const Tensor y = w * 3.0;
    const Tensor loss = (y * y).sum();
    fill_(y, 0);
    CHECK_THROWS_AS(loss.backward({}, true), Error);
    CHECK_FALSE(w.grad().defined());
}
