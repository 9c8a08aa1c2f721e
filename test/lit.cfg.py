# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "WSE"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtext", ".test", ".py"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "Inputs", "unit",
                   "models", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.wse_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%python", config.python_with_torch))
config.substitutions.append(("%srcroot", config.wse_src_root))
config.substitutions.append(("%wse_obj_root", config.wse_obj_root))
config.substitutions.append(("%onnx_testdata", config.onnx_testdata_dir))
# Generated test models (test/models/generate_decoders.py) live here.
config.substitutions.append(
    ("%models", os.path.join(config.wse_obj_root, "test", "models")))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.wse_tools_dir, config.llvm_tools_dir]
# `lit --param emu_threads=N` runs every wse-emu with --threads N: the tests'
# exact cycles, outputs and messages then check the bands (test/emu/threads.test
# does so for a few programs in every run).
# `lit --param emu_ranks=N` runs every wse-emu under mpirun -np N instead
# (builds with MPI; test/emu/ranks.test does so for a few programs).
from lit.llvm.subst import ToolSubst
emu_threads = lit_config.params.get("emu_threads")
emu_ranks = lit_config.params.get("emu_ranks")
if emu_ranks:
    emu = ToolSubst("wse-emu", command="%s --allow-run-as-root --oversubscribe "
                    "-np %s %s" % (config.mpiexec, emu_ranks,
                                   os.path.join(config.wse_tools_dir, "wse-emu")))
else:
    emu = ToolSubst("wse-emu",
                    extra_args=["--threads", emu_threads] if emu_threads else [])
llvm_config.add_tool_substitutions(
    ["wse-opt", "wse-translate", "wse-ref", "wse-ort", emu], tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.wse_tools_dir, append_path=True)
# Distributed wse-emu (mpirun -np N): test/emu/ranks.test. Root (CI
# containers) needs --allow-run-as-root; --oversubscribe lets 2 ranks run on
# fewer cores.
if config.wse_have_mpi and config.mpiexec:
    config.available_features.add("mpi")
    config.substitutions.append(
        ("%mpirun", config.mpiexec + " --allow-run-as-root --oversubscribe"))
# The libFuzzer harnesses (fuzz/), built with -DWSE_FUZZ=ON.
if config.wse_fuzz.upper() in ("ON", "1", "TRUE", "YES"):
    config.available_features.add("fuzzers")
    config.substitutions.append(
        ("%fuzzers", os.path.join(config.wse_obj_root, "fuzz", "bin")))
# A headless browser for the report's rendering test (Debian's chromium).
import shutil
if shutil.which("chromium"):
    config.available_features.add("chromium")
