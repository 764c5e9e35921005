using AudioEmbed.Bench;

// Throughput benchmarks. Every figure is reported beside a reference measured in the same run on the same
// machine (an ONNX Runtime GEMM for compute, realtime for audio), so results from different machines compare
// as ratios. Run: dotnet run -c Release --project bench/AudioEmbed.Bench [-- musicnn|mert|encodecmae|dsp|decode|gemm|all|soak|batching|musicnn-profile]
var what = args.Length > 0 ? args[0] : "all";
var report = new Report();
var gemm = GemmReference.Measure(report);
if (what is "all" or "dsp") DspBench.Run(report);
if (what is "all" or "decode") DecodeBench.Run(report);
if (what is "all" or "musicnn") MusicnnBench.Run(report, gemm);
if (what is "all" or "mert") MertBench.Run(report, gemm);
if (what is "all" or "encodecmae") EncodecMaeBench.Run(report, gemm);
if (what is "soak") SoakBench.Run(report); // minutes: not part of "all"
if (what is "batching") BatchingBench.Run(report); // cross-file batching, model alone: not part of "all"
if (what is "musicnn-profile") MusicnnProfile.Run(report, args.Skip(1)); // a diagnostic: not part of "all"
report.Print();
