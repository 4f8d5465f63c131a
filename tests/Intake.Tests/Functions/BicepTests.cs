using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Intake.Tests.Functions;

/// <summary>
/// <c>infra/main.bicep</c> compiled with the Bicep CLI (the NuGet package <c>Azure.Bicep.CommandLine.linux-x64</c>, pinned
/// in Directory.Packages.props): it must build with no error and no linter warning, and the ARM template it produces
/// must hold what issue 7 asks of the deployment.
/// </summary>
public sealed class BicepTests
{
    private static readonly Lazy<Task<(int ExitCode, string Diagnostics, JsonElement Template)>> Compiled = new(CompileAsync);

    [Fact]
    public async Task Main_bicep_compiles_without_errors_or_linter_warnings()
    {
        var (exitCode, diagnostics, _) = await Compiled.Value;

        Assert.True(exitCode == 0 && diagnostics.Length == 0, $"bicep build exited {exitCode}:{Environment.NewLine}{diagnostics}");
    }

    [Fact]
    public async Task Every_parameter_is_documented()
    {
        var (_, _, template) = await Compiled.Value;

        var parameters = template.GetProperty("parameters").EnumerateObject().ToList();
        Assert.NotEmpty(parameters);
        var undocumented = parameters
            .Where(p => !(p.Value.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("description", out var description) && description.GetString() is { Length: > 0 }))
            .Select(p => p.Name)
            .ToList();
        Assert.True(undocumented.Count == 0, "parameters without @description: " + string.Join(", ", undocumented));
    }

    [Fact]
    public async Task The_template_deploys_storage_service_bus_a_flex_function_app_with_an_identity_insights_and_key_vault()
    {
        var (_, _, template) = await Compiled.Value;

        var resources = template.GetProperty("resources").EnumerateArray().ToList();
        var types = resources.Select(r => r.GetProperty("type").GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var type in new[]
        {
            "Microsoft.Storage/storageAccounts", "Microsoft.Storage/storageAccounts/tableServices", "Microsoft.Storage/storageAccounts/queueServices",
            "Microsoft.Storage/storageAccounts/blobServices/containers", "Microsoft.ServiceBus/namespaces", "Microsoft.ServiceBus/namespaces/queues",
            "Microsoft.Web/serverfarms", "Microsoft.Web/sites", "Microsoft.Web/sites/config", "Microsoft.Insights/components",
            "Microsoft.KeyVault/vaults", "Microsoft.KeyVault/vaults/secrets", "Microsoft.Authorization/roleAssignments",
        })
        {
            Assert.Contains(type, types);
        }

        var site = resources.Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites");
        Assert.Contains("functionapp", site.GetProperty("kind").GetString(), StringComparison.Ordinal);
        Assert.Contains("SystemAssigned", site.GetProperty("identity").GetProperty("type").GetString(), StringComparison.Ordinal);
        var plan = resources.Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/serverfarms");
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());

        // Six roles: blobs, queues and tables on the account, Service Bus data owner, Key Vault secrets user, metrics publisher.
        Assert.Equal(6, resources.Count(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments"));
        var queues = resources.Single(r => r.GetProperty("type").GetString() == "Microsoft.ServiceBus/namespaces/queues");
        Assert.True(queues.TryGetProperty("copy", out _), "the Service Bus queues are declared in one loop over the ticket queues");
    }

    private static async Task<(int, string, JsonElement)> CompileAsync()
    {
        var bicep = BicepExecutable();
        var output = Path.Combine(Path.GetTempPath(), $"intake-main-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo(bicep)
        {
            ArgumentList = { "build", Path.Combine(FunctionsSource.RepositoryRoot, "infra", "main.bicep"), "--outfile", output },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Bicep is a .NET program: no telemetry, no first-run work in the user's profile.
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{bicep} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var diagnostics = ((await stdout) + (await stderr)).Trim();
        try
        {
            using var document = JsonDocument.Parse(File.Exists(output) ? await File.ReadAllTextAsync(output) : "{}");
            return (process.ExitCode, diagnostics, document.RootElement.Clone());
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>The compiler the package restored; a package extracted without its execute bit gets it back.</summary>
    private static string BicepExecutable()
    {
        var path = typeof(BicepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value;
        Assert.False(string.IsNullOrEmpty(path), "BicepPath is not set: is Azure.Bicep.CommandLine.linux-x64 restored?");
        path = Path.GetFullPath(path.Replace('\\', Path.DirectorySeparatorChar));
        Assert.True(File.Exists(path), $"{path} does not exist");
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) is var mode && (mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return path;
    }
}
