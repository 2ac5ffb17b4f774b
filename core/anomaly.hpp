#pragma once
// Anomaly detection, as PyTorch's torch.autograd.detect_anomaly: while it is on (on this thread),
// every op checks the values it computed and backward() checks every gradient, and the first NaN
// or infinity raises an Error naming the op that made it, in forward or in backward. A NaN loss
// then points at its cause (a log of 0, a division by 0, an overflowing exp) instead of at the
// loss.
//
//     {
//         glimpse::DetectAnomalyGuard anomaly;  // on until the end of the scope
//         Tensor loss = model.loss(batch);      // "detect_anomaly: 'log' made -inf ..."
//         loss.backward();                      // "detect_anomaly: the backward of 'sqrt' ..."
//     }
//
// Off by default: when on, every value of every op is read once more (a debugging tool, not a
// training setting). Off, it costs one flag test per op.

#include <span>
#include <string_view>

#include "core/tensor.hpp"

namespace glimpse {

bool is_anomaly_enabled();         // on this thread
void set_detect_anomaly(bool on);  // on this thread, until set again

// RAII: anomaly detection on while it lives, then as it was before.
class DetectAnomalyGuard {
  public:
    DetectAnomalyGuard();
    ~DetectAnomalyGuard();
    DetectAnomalyGuard(const DetectAnomalyGuard&) = delete;
    DetectAnomalyGuard& operator=(const DetectAnomalyGuard&) = delete;

  private:
    bool previous_;
};

// The checks themselves, called by record() and by the engine when detection is on: each throws
// an Error naming the op, the tensor and the first element that is not finite.
void check_forward_anomaly(std::string_view op, std::span<const Tensor> inputs,
                           const Tensor& output);
void check_backward_anomaly(std::string_view op, std::size_t input, const Tensor& grad);

}  // namespace glimpse
