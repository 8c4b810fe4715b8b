// The journal specs measure throughput and start real hosts on two cores: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
