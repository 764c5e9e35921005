using AudioEmbed.Bench;

// Throughput benchmarks. Every figure is reported beside a reference measured in the same run on the same
// machine (an ONNX Runtime GEMM for compute, realtime for audio), so results from different machines compare
// as ratios. Run: dotnet run -c Release --project bench/AudioEmbed.Bench
//   [-- musicnn|mert|encodecmae|dsp|decode|aac|gemm|all|mert330|encodecmae-large|mert-long|int8|int8-330m|soak|batching|musicnn-profile|resample24k|hub|search|multimodel]
// "all" is the quick set. Not in it, because each takes minutes and gigabytes of temp disk:
//   mert330          MERT-v1-330M on 60 s (builds a 1.3 GB random model)
//   encodecmae-large EnCodecMAE mel256-ec-large_st on 60 s
//   mert-long        MERT-95M memory and speed on a 20-minute file through the embedding engine (-Layer last, all;
//                    or only those named after it), each run in a fresh child process
//   int8, int8-330m  float32 vs -Precision Int8 (MERT-95M and EnCodecMAE-base, or MERT-330M): speed and cosine on
//                    the real songs
//   soak             2,000 files through MusiCNN
//   batching         cross-file batching, model alone (per-file runs vs chunks packed across files)
//   musicnn-profile  a diagnostic: MusiCNN stage times and ONNX Runtime's per-operator profile
//   resample24k      44.1 kHz → 24 kHz: soxr HQ, torchaudio and resampy on a real song, × realtime and ratios
//   hub              verifying a Hugging Face download / cache blob against a file copy and plain SHA-256
//   search           Find-SimilarAudio's exact top-10 over 100,000 and 1,000,000 × 768 mapped rows beside a scalar loop
//                    (or the row counts named after it); writes a temporary matrix file of up to 3 GB
//   library-open     opening a library of 100,000 .npy files (or the count named after it): first open, reopen, one query,
//                    beside a plain listing of the folder
//   multimodel       MusiCNN + MERT-95M + EnCodecMAE-base in one pass vs three separate passes, files/min (3 songs of ≤ 12 s)
var what = args.Length > 0 ? args[0] : "all";
if (what == "library-open") { var openReport = new Report(); LibraryOpenBench.Run(openReport, args[1..]); openReport.Print(); return; }
if (what == "search") { var searchReport = new Report(); SearchBench.Run(searchReport, args[1..]); searchReport.Print(); return; } // needs no GEMM reference: the scalar loop is its reference
if (what == MertLongBench.ChildCommand) { MertLongBench.Child(args[1], args[2], args[3], args[4]); return; } // mert-long's fresh process
var report = new Report();
var gemm = GemmReference.Measure(report);
if (what is "all" or "dsp") DspBench.Run(report);
if (what is "all" or "decode") DecodeBench.Run(report);
if (what is "all" or "aac") AacBench.Run(report);
if (what is "all" or "musicnn") MusicnnBench.Run(report, gemm);
if (what is "all" or "mert") MertBench.Run95M(report, gemm);
if (what is "all" or "encodecmae") EncodecMaeBench.RunBase(report, gemm);
if (what is "mert330") MertBench.Run330M(report, gemm);
if (what is "encodecmae-large") EncodecMaeBench.RunLarge(report, gemm);
if (what is "mert-long") MertLongBench.Run(report, args[1..]); // optionally the layers: mert-long last
if (what is "int8" or "int8-330m") Int8Bench.Run(report, what == "int8-330m");
if (what is "soak") SoakBench.Run(report);
if (what is "batching") BatchingBench.Run(report);
if (what is "resample24k") Resample24kBench.Run(report);
if (what is "multimodel") MultiModelBench.Run(report);
if (what is "musicnn-profile") MusicnnProfile.Run(report, args.Skip(1));
if (what is "hub") HubBench.Run(report);
report.Print();
