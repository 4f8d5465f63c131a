using System.Diagnostics;
using System.Text.Json;

namespace Intake.Tests.Functions;

/// <summary>
/// The one switch between the compile check our feed allows and the build Azure runs (<c>FunctionsDeploy</c>, docs/functions.md),
/// read from MSBuild's own evaluation of the project in each mode: the deploy build must get the Service Bus extension
/// Azure needs and the SDK's WorkerExtensions steps untouched (a replacement target wins over the SDK's even when its
/// condition is false, so the compile check's must not be defined at all there), and the compile check must refuse to publish.
/// </summary>
public sealed class FunctionsBuildModeTests
{
    private static readonly string Project = Path.Combine(FunctionsSource.ProjectDirectory, "Intake.Functions.csproj");

    [Theory]
    [InlineData(false, "5.7.0")]
    [InlineData(true, "5.24.0")]
    public async Task Each_mode_takes_its_service_bus_extension(bool deploy, string version)
    {
        using var evaluation = JsonDocument.Parse(await MsBuildAsync(deploy, "-getItem:PackageVersion"));

        var extension = evaluation.RootElement.GetProperty("Items").GetProperty("PackageVersion").EnumerateArray()
            .Where(item => item.GetProperty("Identity").GetString() == "Microsoft.Azure.Functions.Worker.Extensions.ServiceBus")
            .Select(item => item.GetProperty("Version").GetString())
            .ToList();
        Assert.Equal([version], extension);
    }

    [Fact]
    public async Task Only_the_compile_check_replaces_the_sdks_worker_extensions_steps_and_refuses_to_publish()
    {
        var check = await MsBuildAsync(deploy: false, "-pp");
        var deploy = await MsBuildAsync(deploy: true, "-pp");

        Assert.Contains("compile check, WorkerExtensions not built", check, StringComparison.Ordinal);
        Assert.DoesNotContain("compile check, WorkerExtensions not built", deploy, StringComparison.Ordinal);
        Assert.Contains("_IntakeRefuseToPublishTheCompileCheck", check, StringComparison.Ordinal);
    }

    private static async Task<string> MsBuildAsync(bool deploy, string request)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "msbuild", Project, request, $"-p:FunctionsDeploy={(deploy ? "true" : "false")}", "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("FunctionsDeploy");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"dotnet msbuild {request} exited {process.ExitCode}: {await error}");
        return await output;
    }
}
