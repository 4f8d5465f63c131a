using System.Globalization;
using System.Runtime.InteropServices;
using Intake.Benchmarks.Load;
using Intake.Server.Storage;

namespace Intake.Benchmarks.Chaos;

/// <summary>
/// <c>chaos [--seconds 45] [--clients 4] [--channels web,telegram,meta] [--kills 6] [--seed n] [--visibility 15] [--wait 180]</c>:
/// the fault run (<see cref="ChaosRun"/>) against the Release server, <c>--clients</c> clients on each channel, with a
/// 20 s provider outage and a 10 s storage outage after the kills. Exit code 0 when the run worked and the invariant
/// held, 3 when it ran and the invariant failed, 1 when the run itself failed, 2 for bad arguments.
/// </summary>
internal static class ChaosCommand
{
    public const string Usage = """
        usage: chaos [--seconds 45] [--clients 4] [--channels web,telegram,meta] [--kills 6] [--seed n] [--visibility 15] [--wait 180]
          --seconds     how long the kills span
          --clients     clients on each channel (4 on each of three channels is 12 in all)
          --channels    which of web (web form), telegram (bot webhook) and meta (Messenger webhook) the clients write on; all three by default
          --kills       SIGKILLs of the server at random moments of --seconds, each followed by a restart
          --seed        the kills' moments (random by default; the report prints it)
          --visibility  Worker:Visibility in seconds for the run
          --wait        seconds to wait for the acknowledgements once the faults are over
        Then mail, Telegram and Graph refuse every send for 20 s, and Azurite is stopped for 10 s.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--help" or "-h"])
        {
            await Console.Out.WriteLineAsync(Usage).ConfigureAwait(false);
            return 0;
        }

        var plan = Parse(args, out var error);
        if (plan is null)
        {
            await Console.Error.WriteLineAsync(error + Environment.NewLine + Usage).ConfigureAwait(false);
            return 2;
        }

        using var interrupted = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Interrupt);
        try
        {
            var root = Azurite.FindRepositoryRoot(Environment.CurrentDirectory) ?? Azurite.FindRepositoryRoot(AppContext.BaseDirectory)
                ?? throw new InvalidOperationException("Run from a clone of the repository: no package.json with azurite above here.");
            var dll = await ServerProcess.EnsureBuiltAsync(root, Console.Out, interrupted.Token).ConfigureAwait(false);
            var report = await new ChaosRun(root, dll, plan, Console.Out).RunAsync(interrupted.Token).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(report.Format()).ConfigureAwait(false);
            return !report.RunWorked ? 1 : report.InvariantHeld ? 0 : 3;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Interrupted; the server and Azurite are stopped.").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"The fault run failed: {ex}").ConfigureAwait(false);
            return 1;
        }

        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupted.Cancel();
        }
    }

    private static ChaosPlan? Parse(string[] args, out string? error)
    {
        var plan = new ChaosPlan(
            Clients: 4, KillPhase: TimeSpan.FromSeconds(45), Kills: 6, ProviderOutage: TimeSpan.FromSeconds(20), StorageOutage: TimeSpan.FromSeconds(10),
            AckWait: TimeSpan.FromMinutes(3), Seed: Environment.TickCount & 0xFFFF);
        for (var i = 0; i < args.Length; i += 2)
        {
            var name = args[i];
            if (name == "--channels")
            {
                if (i + 1 >= args.Length || Channels(args[i + 1]) is not { } channels)
                {
                    error = "--channels needs one or more of web, telegram and meta, separated by commas.";
                    return null;
                }

                plan = plan with { Channels = channels };
                continue;
            }

            if (name is not ("--seconds" or "--clients" or "--kills" or "--seed" or "--visibility" or "--wait"))
            {
                error = $"Unknown option {name}.";
                return null;
            }

            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                || (value == 0 && name is ("--seconds" or "--clients" or "--visibility")))
            {
                error = $"{name} needs a whole number (above 0 for --seconds, --clients and --visibility).";
                return null;
            }

            plan = name switch
            {
                "--seconds" => plan with { KillPhase = TimeSpan.FromSeconds(value) },
                "--clients" => plan with { Clients = value },
                "--kills" => plan with { Kills = value },
                "--visibility" => plan with { Visibility = TimeSpan.FromSeconds(value) },
                "--wait" => plan with { AckWait = TimeSpan.FromSeconds(value) },
                _ => plan with { Seed = value },
            };
        }

        error = null;
        return plan;
    }

    /// <summary>The channels <c>--channels</c> names, each once, in the order given; null when one is not a channel.</summary>
    private static List<ChaosChannel>? Channels(string names)
    {
        var channels = new List<ChaosChannel>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ChaosChannels.TryParse(name, out var channel))
            {
                return null;
            }

            if (!channels.Contains(channel))
            {
                channels.Add(channel);
            }
        }

        return channels.Count > 0 ? channels : null;
    }
}
