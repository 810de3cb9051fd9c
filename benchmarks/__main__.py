"""Run every benchmark (make bench)."""
from benchmarks import bench_build

if __name__ == "__main__":
    bench_build.main()
