"""Run every benchmark (make bench)."""

from benchmarks import bench_build, bench_grading, bench_lighthouse, bench_yourcity

if __name__ == "__main__":
    bench_build.main()
    bench_grading.main([])
    bench_yourcity.main([])
    bench_lighthouse.main([])
