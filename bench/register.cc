// register.cc — the only C++ in bench/: registers every case of the C table (cases.c)
// with Google Benchmark. Extra flags, removed before Google Benchmark parses the rest:
//   --tk_data=DIR      data folder with jpeg/ and exif-orientation/ (default: in-repo tests/data)
//   --tk_big_jpeg=F    an extra JPEG (e.g. a generated 24 MP photo) for decode and pipeline cases
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cases.h"

namespace {

void run_case(benchmark::State &state, const tk_bench_case *c) {
    void *ctx = nullptr;
    tk_bench_info info{};
    char err[512] = {0};
    if (c->setup(c, &ctx, &info, err, sizeof err) != 0) {
        state.SkipWithError(err[0] ? err : "setup failed");
        return;
    }
    for (auto _ : state) {
        if (c->run(ctx, err, sizeof err) != 0) {
            state.SkipWithError(err[0] ? err : "run failed");
            break;
        }
    }
    c->teardown(ctx);
    state.SetBytesProcessed(
        static_cast<int64_t>(info.bytes * static_cast<double>(state.iterations())));
    state.SetItemsProcessed(
        static_cast<int64_t>(info.pixels * static_cast<double>(state.iterations())));
    state.counters["MPix/s"] = benchmark::Counter(
        info.pixels * 1e-6 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    if (info.label[0]) {
        state.SetLabel(info.label);
    }
}

} // namespace

int main(int argc, char **argv) {
    tk_bench_config cfg{};
    std::vector<char *> args;
    for (int i = 0; i < argc; i++) {
        if (std::strncmp(argv[i], "--tk_data=", 10) == 0) {
            cfg.data_dir = argv[i] + 10;
        } else if (std::strncmp(argv[i], "--tk_big_jpeg=", 14) == 0) {
            cfg.big_jpeg = argv[i] + 14;
        } else {
            args.push_back(argv[i]);
        }
    }
    int n_args = static_cast<int>(args.size());
    benchmark::Initialize(&n_args, args.data());
    if (benchmark::ReportUnrecognizedArguments(n_args, args.data())) {
        return 2;
    }

    tk_bench_case *cases = nullptr;
    size_t n = tk_bench_cases_build(&cfg, &cases);
    if (n == 0) {
        std::fprintf(stderr, "tk_bench: no cases (out of memory?)\n");
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        const tk_bench_case *c = &cases[i];
        auto *b = benchmark::RegisterBenchmark(c->name, run_case, c);
        b->Unit(benchmark::kMillisecond);
    }
    benchmark::AddCustomContext("thumbkit", tk_bench_context());
    benchmark::AddCustomContext("data_dir", cfg.data_dir ? cfg.data_dir : TK_BENCH_DATA_DIR);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    tk_bench_cases_free(cases);
    return 0;
}
