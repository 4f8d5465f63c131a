using System.Diagnostics;
using Intake.Hosting;
using Intake.Storage;
using Intake.Tests.Functions;
using Intake.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: started in Production without <c>Intake:SigningKey</c>, the server came up, a background service threw, and the
/// process exited with code 0, so a supervisor believed it had stopped on purpose and nobody learnt that no message would
/// be acknowledged. A missing or unsafe setting stops the start at once, non-zero, with one line that says what to set.
/// </summary>
public sealed class FatalConfigurationTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>
    /// The server as built next to these tests (<c>functions/Intake.Server/bin/{configuration}/net10.0</c>), run as
    /// <c>dotnet Intake.Server.dll</c> in Production over the tests' Azurite; returns its exit code and what it wrote.
    /// </summary>
    private async Task<(int ExitCode, string[] Errors, string Output)> RunServerAsync(Dictionary<string, string> settings)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var output = Path.Combine(FunctionsSource.RepositoryRoot, "functions", "Intake.Server", "bin", configuration, "net10.0");
        var dll = Path.Combine(output, "Intake.Server.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build Intake.sln in {configuration} first.");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = output,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("Intake__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment[StorageAccount.ConnectionSetting] = azurite.ConnectionString;
        start.Environment["Storage__Prefix"] = TestStorage.NewPrefix();
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Cancellation);
        var stderr = process.StandardError.ReadToEndAsync(Cancellation);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!Cancellation.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The server kept running for a minute with a configuration it cannot work with.");
        }

        var errors = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (process.ExitCode, errors, await stdout);
    }

    [Fact]
    public async Task Production_without_a_signing_key_exits_non_zero_with_one_line_naming_the_setting()
    {
        var (exitCode, errors, output) = await RunServerAsync([]);

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(errors);
        Assert.Contains("Intake:SigningKey", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Intake__ApiKeys__alice", "too-short", "Intake:ApiKeys:alice")]
    [InlineData("Intake__SigningKey", "@Microsoft.KeyVault(SecretUri=https://intake-kv.vault.azure.net/secrets/Intake--SigningKey/)", "Key Vault")]
    [InlineData("WebForm__Window", "ten minutes", "WebForm:Window")]
    public async Task Any_setting_the_server_cannot_work_with_stops_it_with_one_line(string setting, string value, string named)
    {
        var (exitCode, errors, output) = await RunServerAsync(new()
        {
            ["Intake__SigningKey"] = "signing-key-of-the-fatal-configuration-test",
            [setting] = value,
        });

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(errors);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain(value, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + line, StringComparison.Ordinal);
    }

    private sealed class FailingService : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("The queue is gone.");
        }
    }

    private sealed class StoppingService(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            lifetime.StopApplication();
        }
    }

    private static async Task<(int ExitCode, string[] Errors)> RunAsync<TService>()
        where TService : class, IHostedService
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddHostedService<TService>();
        using var host = builder.Build();
        await using var error = new StringWriter();
        var exitCode = await host.RunIntakeAsync(error);
        return (exitCode, error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task A_background_service_that_brings_the_host_down_ends_the_run_non_zero_with_one_line()
    {
        var (exitCode, errors) = await RunAsync<FailingService>();

        Assert.Equal(IntakeRun.ServiceFailed, exitCode);
        Assert.Contains("FailingService failed: The queue is gone.", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_stopped_on_request_ends_the_run_with_zero()
    {
        var (exitCode, errors) = await RunAsync<StoppingService>();

        Assert.Equal(0, exitCode);
        Assert.Empty(errors);
    }
}
