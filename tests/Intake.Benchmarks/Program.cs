using BenchmarkDotNet.Running;
using Intake.Benchmarks;
using Intake.Benchmarks.Chaos;
using Intake.Benchmarks.Load;

if (args is ["load", .. var loadArgs])
{
    return await LoadCommand.RunAsync(loadArgs);
}

if (args is ["chaos", .. var chaosArgs])
{
    return await ChaosCommand.RunAsync(chaosArgs);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(TriageBenchmarks).Assembly).Run(args);

// A benchmark whose setup failed reports no result: fail the run so that scripts notice.
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
