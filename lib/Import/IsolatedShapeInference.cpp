//===- IsolatedShapeInference.cpp - libonnx inference in a child ----------===//

#include "IsolatedShapeInference.h"

#include <onnx/shape_inference/implementation.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

using namespace wse::import;

namespace {

/// What the child sends: one tag byte, then an error message or the
/// serialized GraphProto holding the inferred value_info and outputs.
constexpr char kTagInferred = 'I', kTagFailed = 'F';

void writeAll(int fd, const std::string &data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    done += size_t(n);
  }
}

[[noreturn]] void runChild(onnx::ModelProto &model, int fd) {
  // The parent's crash handlers (LLVM's stack dump) are not for this
  // process: a crash here is reported by the parent as a malformed model.
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP})
    ::signal(sig, SIG_DFL);
  std::string reply;
  try {
    onnx::ShapeInferenceOptions options(/*check_type=*/false,
                                        /*strict_mode=*/0,
                                        /*data_prop=*/true);
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), options);
    onnx::GraphProto result;
    *result.mutable_value_info() = model.graph().value_info();
    *result.mutable_output() = model.graph().output();
    reply = kTagInferred + result.SerializeAsString();
  } catch (const std::exception &e) {
    reply = kTagFailed + std::string(e.what());
  } catch (...) {
    reply = kTagFailed + std::string("unknown error");
  }
  writeAll(fd, reply);
  ::close(fd);
  // No destructors or atexit handlers of the parent's state in the child.
  ::_exit(0);
}

} // namespace

InferenceOutcome wse::import::inferShapesIsolated(onnx::ModelProto &model) {
  int fds[2];
  if (::pipe(fds) != 0)
    return {InferenceOutcome::Failed,
            std::string("cannot create a pipe: ") + std::strerror(errno)};
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return {InferenceOutcome::Failed,
            std::string("cannot fork: ") + std::strerror(errno)};
  }
  if (pid == 0) {
    ::close(fds[0]);
    runChild(model, fds[1]);
  }
  ::close(fds[1]);
  std::string reply;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    reply.append(buffer, size_t(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status))
    return {InferenceOutcome::Crashed,
            std::string("libonnx's shape inference crashed (signal ") +
                std::to_string(WTERMSIG(status)) + ", " +
                strsignal(WTERMSIG(status)) + ")"};
  if (reply.empty() || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return {InferenceOutcome::Failed, "the inference process ended without "
                                      "an answer"};
  if (reply[0] == kTagFailed)
    return {InferenceOutcome::Failed, reply.substr(1)};
  onnx::GraphProto result;
  if (reply[0] != kTagInferred ||
      !result.ParseFromArray(reply.data() + 1, int(reply.size() - 1)))
    return {InferenceOutcome::Failed, "the inference process sent an "
                                      "unreadable answer"};
  *model.mutable_graph()->mutable_value_info() = result.value_info();
  *model.mutable_graph()->mutable_output() = result.output();
  return {};
}
