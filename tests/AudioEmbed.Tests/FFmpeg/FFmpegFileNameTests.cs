using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.FFmpeg;

namespace AudioEmbed.Tests.FFmpeg;

/// <summary>File names that break shell-quoted command lines: ffmpeg gets them as one argument, "file:" + absolute path.</summary>
[Collection(FFmpegCollection.Name)]
public class FFmpegFileNameTests
{
    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string> { "with space.ogg", "-leading-dash.ogg", "--i.ogg", "Ünïcödé 音楽 ♪.ogg", "semi;colon $HOME & 'x'.ogg", "[brackets] (1).ogg" };
        if (!OperatingSystem.IsWindows()) // characters Windows does not allow in file names
        {
            names.Add("pipe|.ogg");
            names.Add("colon: name.ogg");
            names.Add("quote \" and 'single'.ogg");
            names.Add("back\\slash.ogg");
        }
        return names;
    }

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void Awkward_names_decode(string name)
    {
        FFmpegTestSupport.Require();
        var ogg = SharedData.Require("audio", "sorohanro_-_solo-trumpet-06.ogg");
        var dir = Directory.CreateTempSubdirectory("aembed names ").FullName;
        try
        {
            var path = Path.Combine(dir, name);
            File.Copy(ogg, path);
            using var source = AudioFile.Open(path, FFmpegTestSupport.ForceFFmpeg);
            Assert.IsType<FFmpegDecoder>(source);
            Assert.Equal(117601, source.ReadAll().Length); // ffprobe's duration_ts, mono
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void The_input_is_one_argument_with_the_file_protocol()
    {
        var args = FFmpegDecoder.Arguments("/tmp/-x.ogg");
        int i = Array.IndexOf(args, "-i");
        Assert.Equal("file:/tmp/-x.ogg", args[i + 1]);
        Assert.Contains("-nostdin", args);
        Assert.DoesNotContain("-ar", args);
        Assert.DoesNotContain("-ac", args);
    }
}
