using System.Globalization;

namespace Intake.Benchmarks.Load;

/// <summary><c>load [--concurrency 16] [--seconds 20] [--warmup 3]</c>.</summary>
internal sealed record LoadSettings(int Concurrency, int Seconds, int WarmupSeconds)
{
    public const string Usage = "usage: load [--concurrency 16] [--seconds 20] [--warmup 3]";

    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);

    public TimeSpan Warmup => TimeSpan.FromSeconds(WarmupSeconds);

    /// <summary>The settings, or null with <paramref name="error"/> set when the arguments are not understood.</summary>
    public static LoadSettings? Parse(IReadOnlyList<string> args, out string? error)
    {
        var settings = new LoadSettings(Concurrency: 16, Seconds: 20, WarmupSeconds: 3);
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            if (name is not ("--concurrency" or "--seconds" or "--warmup"))
            {
                error = $"Unknown option {name}.";
                return null;
            }

            if (i + 1 >= args.Count || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                || (value == 0 && name != "--warmup"))
            {
                error = $"{name} needs a whole number (above 0, except for --warmup).";
                return null;
            }

            settings = name switch
            {
                "--concurrency" => settings with { Concurrency = value },
                "--seconds" => settings with { Seconds = value },
                _ => settings with { WarmupSeconds = value },
            };
        }

        error = null;
        return settings;
    }
}
