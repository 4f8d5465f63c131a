using System.Globalization;
using System.Runtime.InteropServices;
using Intake.Benchmarks.Load;
using Intake.Server.Storage;

namespace Intake.Benchmarks.Chaos;

/// <summary>
/// <c>chaos [--seconds 45] [--clients 4] [--kills 6] [--seed n] [--visibility 15] [--wait 180]</c>: the fault run (<see cref="ChaosRun"/>) against the
/// Release server, with a 20 s mail-API outage and a 10 s storage outage after the kills. Exit code 0 when the run
/// worked and the invariant held, 3 when it ran and the invariant failed, 1 when the run itself failed, 2 for bad arguments.
/// </summary>
internal static class ChaosCommand
{
    public const string Usage = "usage: chaos [--seconds 45] [--clients 4] [--kills 6] [--seed n] [--visibility 15] [--wait 180]";

    public static async Task<int> RunAsync(string[] args)
    {
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
}
