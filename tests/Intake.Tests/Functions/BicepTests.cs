using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Intake.Tests.Functions;

/// <summary>
/// <c>infra/main.bicep</c> compiled with the Bicep CLI (the NuGet package <c>Azure.Bicep.CommandLine.linux-x64</c>, pinned
/// in Directory.Packages.props): it must build with no error and no linter warning, and the ARM template it produces
/// must hold what issues 7 and 15 ask of the deployment. Names and parameter-driven properties are evaluated from the
/// template's expressions (<see cref="ArmTemplateEvaluator"/>), for parameter values a deployment may give.
/// </summary>
public sealed partial class BicepTests
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

    [Fact]
    public async Task No_resource_uses_a_preview_api_version()
    {
        var (_, _, template) = await Compiled.Value;

        var previews = Resources(template)
            .Select(r => $"{r.GetProperty("type").GetString()}@{r.GetProperty("apiVersion").GetString()}")
            .Where(version => version.EndsWith("-preview", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(previews.Count == 0, "preview API versions: " + string.Join(", ", previews));
    }

    /// <summary>
    /// Names as Azure accepts them (the documented rules of each resource type), for base names that start with a digit or a
    /// letter, at the shortest and longest length the parameter allows. The 13-character hash <c>uniqueString</c> gives is
    /// stood in for by strings of its alphabet that start with a letter and with a digit.
    /// </summary>
    [Theory]
    [InlineData("1ab")]
    [InlineData("1abc")]
    [InlineData("abc")]
    [InlineData("12345678901")]
    [InlineData("abcdefghijk")]
    [InlineData("a1b2c3d4e5f")]
    public async Task Every_resource_name_is_valid_for_any_base_name_the_parameter_allows(string name)
    {
        var (_, _, template) = await Compiled.Value;
        var rules = new Dictionary<string, (Regex Rule, string Says)>(StringComparer.OrdinalIgnoreCase)
        {
            ["Microsoft.Storage/storageAccounts"] = (StorageAccountName(), "3-24 lowercase letters and digits"),
            ["Microsoft.KeyVault/vaults"] = (VaultName(), "3-24 letters, digits and single dashes, starting with a letter, ending with a letter or digit"),
            ["Microsoft.ServiceBus/namespaces"] = (ServiceBusNamespaceName(), "6-50 letters, digits and dashes, starting with a letter, ending with a letter or digit, not in -sb or -mgmt"),
            ["Microsoft.Web/sites"] = (SiteName(), "2-60 letters, digits and dashes, not starting or ending with a dash"),
            ["Microsoft.Web/serverfarms"] = (PlanName(), "1-60 letters, digits and dashes"),
            ["Microsoft.Insights/components"] = (ComponentName(), "1-260 letters, digits, dashes, periods and underscores, not ending with a period"),
            ["Microsoft.OperationalInsights/workspaces"] = (WorkspaceName(), "4-63 letters, digits and dashes, starting and ending with a letter or digit"),
        };

        var invalid = new List<string>();
        foreach (var hash in new[] { "abcdefghijklm", "2345672345672", "z7y6x5w4v3u2t" })
        {
            var evaluator = new ArmTemplateEvaluator(template, Parameters(("name", name)), hash);
            foreach (var resource in Resources(template))
            {
                var type = resource.GetProperty("type").GetString()!;
                if (rules.TryGetValue(type, out var rule) && evaluator.Evaluate(resource.GetProperty("name")) is var value
                    && !(value is string resourceName && rule.Rule.IsMatch(resourceName) && !resourceName.Contains("--", StringComparison.Ordinal)))
                {
                    invalid.Add($"{type} '{value}' (name '{name}', hash '{hash}'): {rule.Says}");
                }
            }
        }

        Assert.True(invalid.Count == 0, string.Join(Environment.NewLine, invalid));
        Assert.All(rules.Keys, type => Assert.Contains(Resources(template), r => r.GetProperty("type").GetString() == type));
    }

    [Fact]
    public async Task The_maximum_instance_count_starts_at_the_flex_plans_floor_of_40()
    {
        var (_, _, template) = await Compiled.Value;

        var parameter = template.GetProperty("parameters").GetProperty("maximumInstanceCount");
        Assert.Equal(40, parameter.GetProperty("minValue").GetInt32());
        Assert.Equal(1000, parameter.GetProperty("maxValue").GetInt32());
        Assert.True(parameter.GetProperty("defaultValue").GetInt32() >= 40);
    }

    [Fact]
    public async Task One_instance_of_the_http_group_is_always_ready_unless_the_operator_asks_for_none()
    {
        var (_, _, template) = await Compiled.Value;

        var parameter = template.GetProperty("parameters").GetProperty("alwaysReadyInstances");
        Assert.Equal(1, parameter.GetProperty("defaultValue").GetInt32());
        Assert.Equal(0, parameter.GetProperty("minValue").GetInt32());
        var site = Resources(template).Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites");
        var alwaysReady = site.GetProperty("properties").GetProperty("functionAppConfig").GetProperty("scaleAndConcurrency").GetProperty("alwaysReady");

        var byDefault = Assert.IsType<List<object?>>(new ArmTemplateEvaluator(template, Parameters()).Evaluate(alwaysReady));
        var http = Assert.IsType<Dictionary<string, object?>>(Assert.Single(byDefault));
        Assert.Equal("http", http["name"]);
        Assert.Equal(1L, http["instanceCount"]);
        var three = Assert.IsType<List<object?>>(new ArmTemplateEvaluator(template, Parameters(("alwaysReadyInstances", 3L))).Evaluate(alwaysReady));
        Assert.Equal(3L, Assert.IsType<Dictionary<string, object?>>(Assert.Single(three))["instanceCount"]);
        Assert.Empty(Assert.IsType<List<object?>>(new ArmTemplateEvaluator(template, Parameters(("alwaysReadyInstances", 0L))).Evaluate(alwaysReady)));
    }

    [Fact]
    public async Task A_redeployment_into_a_recreated_group_can_recover_the_soft_deleted_vault()
    {
        var (_, _, template) = await Compiled.Value;

        var parameter = template.GetProperty("parameters").GetProperty("recoverVault");
        Assert.False(parameter.GetProperty("defaultValue").GetBoolean());
        var vault = Resources(template).Single(r => r.GetProperty("type").GetString() == "Microsoft.KeyVault/vaults");
        Assert.True(vault.GetProperty("properties").TryGetProperty("createMode", out var createMode), "the vault has no createMode");

        Assert.Equal("default", new ArmTemplateEvaluator(template, Parameters()).Evaluate(createMode));
        Assert.Equal("recover", new ArmTemplateEvaluator(template, Parameters(("recoverVault", true))).Evaluate(createMode));
    }

    [Fact]
    public async Task The_app_writes_to_application_insights_with_its_identity_only()
    {
        var (_, _, template) = await Compiled.Value;
        var evaluator = new ArmTemplateEvaluator(template, Parameters());
        var resources = Resources(template);
        var component = resources.Single(r => r.GetProperty("type").GetString() == "Microsoft.Insights/components");
        var componentId = ArmTemplateEvaluator.ResourceId("Microsoft.Insights/components", (string)evaluator.Evaluate(component.GetProperty("name"))!);
        var site = resources.Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites");
        var siteId = ArmTemplateEvaluator.ResourceId("Microsoft.Web/sites", (string)evaluator.Evaluate(site.GetProperty("name"))!);

        // No instrumentation key works: the component takes Entra ID tokens only.
        Assert.True(component.GetProperty("properties").GetProperty("DisableLocalAuth").GetBoolean());

        var settings = Assert.IsType<Dictionary<string, object?>>(evaluator.Evaluate(
            resources.Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites/config").GetProperty("properties")));
        Assert.Equal($"reference({componentId}).ConnectionString", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]?.ToString());
        Assert.Equal("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.DoesNotContain("APPINSIGHTS_INSTRUMENTATIONKEY", settings.Keys);

        const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
        var publisher = Assert.Single(resources, r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments"
            && evaluator.Evaluate(r.GetProperty("properties").GetProperty("roleDefinitionId")) is string role
            && role.EndsWith("/" + MonitoringMetricsPublisher, StringComparison.Ordinal));
        Assert.Equal(componentId, evaluator.ScopeId(publisher.GetProperty("scope")));
        Assert.Equal($"reference({siteId}).identity.principalId", evaluator.Evaluate(publisher.GetProperty("properties").GetProperty("principalId"))?.ToString());
    }

    [Fact]
    public async Task Only_the_channel_secrets_given_are_stored_in_the_vault_and_referenced()
    {
        var (_, _, template) = await Compiled.Value;
        var channelSecrets = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["Telegram__BotToken"] = "123:abc", ["Meta__AppSecret"] = "" };
        var evaluator = new ArmTemplateEvaluator(template, Parameters(("channelSecrets", channelSecrets)));

        var settings = Assert.IsType<Dictionary<string, object?>>(evaluator.Evaluate(
            Resources(template).Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites/config").GetProperty("properties")));

        var telegram = Assert.IsType<string>(settings["Telegram__BotToken"]);
        Assert.StartsWith("@Microsoft.KeyVault(SecretUri=", telegram, StringComparison.Ordinal);
        // The vault's URI, which ends in a slash, stays symbolic: reference(<vault id>).vaultUri.
        Assert.EndsWith(".vaultUrisecrets/Telegram--BotToken/)", telegram, StringComparison.Ordinal);
        Assert.DoesNotContain("Meta__AppSecret", settings.Keys);
        Assert.DoesNotContain("X__AccessToken", settings.Keys);
    }

    [Fact]
    public async Task The_readme_describes_every_parameter()
    {
        var (_, _, template) = await Compiled.Value;
        var readme = await File.ReadAllTextAsync(Path.Combine(FunctionsSource.RepositoryRoot, "infra", "README.md"), TestContext.Current.CancellationToken);

        var missing = template.GetProperty("parameters").EnumerateObject()
            .Select(p => p.Name)
            .Where(name => !readme.Contains($"| `{name}` |", StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, "infra/README.md's table lacks: " + string.Join(", ", missing));
    }

    private static List<JsonElement> Resources(JsonElement template) => [.. template.GetProperty("resources").EnumerateArray()];

    /// <summary>The required parameters with values the template accepts, and any others given.</summary>
    private static Dictionary<string, object?> Parameters(params (string Name, object? Value)[] given)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["name"] = "intake",
            ["signingKey"] = new string('k', 32),
        };
        foreach (var (name, value) in given)
        {
            parameters[name] = value;
        }

        return parameters;
    }

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex StorageAccountName();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")]
    private static partial Regex VaultName();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9-]{4,48}[a-zA-Z0-9](?<!-sb)(?<!-mgmt)$")]
    private static partial Regex ServiceBusNamespaceName();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]$")]
    private static partial Regex SiteName();

    [GeneratedRegex("^[a-zA-Z0-9-]{1,60}$")]
    private static partial Regex PlanName();

    [GeneratedRegex(@"^[a-zA-Z0-9._-]{0,259}[a-zA-Z0-9_-]$")]
    private static partial Regex ComponentName();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$")]
    private static partial Regex WorkspaceName();

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

/// <summary>
/// Evaluates the ARM template expressions Bicep writes (<c>[take(format('kv-{0}-{1}', parameters('name'), variables('suffix')), 24)]</c>) for the
/// values a deployment decides before any resource exists: names, and properties that follow parameters. What Azure
/// knows only at deployment stays symbolic: <c>reference(id)</c> becomes the text <c>reference(&lt;id&gt;).Property</c>,
/// <c>uniqueString</c> the stand-in hash given, the resource group and subscription fixed ids. A function it does not
/// know fails the test that needs it, by name.
/// </summary>
internal sealed class ArmTemplateEvaluator(JsonElement template, IReadOnlyDictionary<string, object?> parameters, string hash = "abcdefghijklm")
{
    private const string ResourceGroupId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/intake";

    private readonly Dictionary<string, object?> lambdaVariables = new(StringComparer.OrdinalIgnoreCase);

    public static string ResourceId(string type, params string[] names) => $"{ResourceGroupId}/providers/{type}/{string.Join('/', names)}";

    /// <summary>An extension resource's <c>scope</c> as the id of the resource it applies to (a relative scope gets the group's).</summary>
    public string ScopeId(JsonElement scope) => Evaluate(scope) is string id && id.StartsWith('/') ? id : $"{ResourceGroupId}/providers/{Evaluate(scope)}";

    public object? Evaluate(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString()! is var text && text.StartsWith("[[", StringComparison.Ordinal) => text[1..],
        JsonValueKind.String when value.GetString()! is var text && text.StartsWith('[') && text.EndsWith(']') => Evaluate(new Parser(text[1..^1]).ParseAll()),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetInt64(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Array => value.EnumerateArray().Select(Evaluate).ToList(),
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => Evaluate(p.Value), StringComparer.OrdinalIgnoreCase),
        _ => throw new NotSupportedException($"JSON {value.ValueKind}"),
    };

    private object? Evaluate(Node node) => node switch
    {
        Literal literal => literal.Value,
        Member member => Access(Evaluate(member.Target), member.Name),
        Indexer indexer => Access(Evaluate(indexer.Target), Evaluate(indexer.Key)),
        Call call => Invoke(call.Name, call.Arguments),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static object? Access(object? target, object? key) => (target, key) switch
    {
        (Reference reference, string name) => new Reference($"{reference.Text}.{name}"),
        (Dictionary<string, object?> map, string name) => map.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"no property '{name}'"),
        (List<object?> list, long at) => list[(int)at],
        _ => throw new NotSupportedException($"{target?.GetType().Name}[{key}]"),
    };

    private object? Invoke(string name, IReadOnlyList<Node> arguments)
    {
        switch (name.ToLowerInvariant())
        {
            case "lambda":
                return new Lambda([.. arguments.SkipLast(1).Select(a => (string)Evaluate(a)!)], arguments[^1]);
            case "if":
                return Truthy(Evaluate(arguments[0])) ? Evaluate(arguments[1]) : Evaluate(arguments[2]);
        }

        var values = arguments.Select(Evaluate).ToList();
        return name.ToLowerInvariant() switch
        {
            "parameters" => Parameter((string)values[0]!),
            "variables" => Evaluate(template.GetProperty("variables").GetProperty((string)values[0]!)),
            "lambdavariables" => lambdaVariables[(string)values[0]!],
            "uniquestring" => hash,
            "resourcegroup" => new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["id"] = ResourceGroupId, ["name"] = "intake", ["location"] = "westeurope" },
            "subscription" => new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["id"] = "/subscriptions/00000000-0000-0000-0000-000000000000", ["subscriptionId"] = "00000000-0000-0000-0000-000000000000", ["tenantId"] = "11111111-1111-1111-1111-111111111111" },
            "resourceid" => ResourceId((string)values[0]!, [.. values.Skip(1).Cast<string>()]),
            "subscriptionresourceid" => $"/subscriptions/00000000-0000-0000-0000-000000000000/providers/{values[0]}/{string.Join('/', values.Skip(1))}",
            "reference" => new Reference($"reference({values[0]})"),
            "guid" => $"guid({string.Join(", ", values)})",
            "format" => string.Format(CultureInfo.InvariantCulture, (string)values[0]!, [.. values.Skip(1).Select(Text)]),
            "concat" => values.All(v => v is List<object?>) ? values.SelectMany(v => (List<object?>)v!).ToList() : string.Concat(values.Select(Text)),
            "string" => Text(values[0]),
            "tolower" => ((string)values[0]!).ToLowerInvariant(),
            "toupper" => ((string)values[0]!).ToUpperInvariant(),
            "replace" => ((string)values[0]!).Replace((string)values[1]!, (string)values[2]!, StringComparison.Ordinal),
            "take" => values[0] switch
            {
                string text => text[..(int)Math.Min(text.Length, (long)values[1]!)],
                List<object?> list => list.Take((int)(long)values[1]!).ToList(),
                var other => throw new NotSupportedException($"take({other})"),
            },
            "length" => values[0] switch { string text => (long)text.Length, List<object?> list => list.Count, Dictionary<string, object?> map => map.Count, _ => throw new NotSupportedException("length") },
            "empty" => values[0] switch { null => true, string text => text.Length == 0, List<object?> list => list.Count == 0, Dictionary<string, object?> map => map.Count == 0, _ => false },
            "contains" => values[0] switch
            {
                Dictionary<string, object?> map => map.ContainsKey((string)values[1]!),
                List<object?> list => list.Any(item => Same(item, values[1])),
                string text => text.Contains((string)values[1]!, StringComparison.OrdinalIgnoreCase),
                var other => throw new NotSupportedException($"contains({other})"),
            },
            "equals" => Same(values[0], values[1]),
            "not" => !Truthy(values[0]),
            // ARM's documentation promises no short-circuit for and/or: every argument is evaluated, so a template must not
            // guard an index with them.
            "and" => values.All(Truthy),
            "or" => values.Any(Truthy),
            "greater" => (long)values[0]! > (long)values[1]!,
            "greaterorequals" => (long)values[0]! >= (long)values[1]!,
            "less" => (long)values[0]! < (long)values[1]!,
            "true" => true,
            "false" => false,
            "null" => null,
            "coalesce" => values.FirstOrDefault(v => v is not null),
            "tryget" => values[0] switch
            {
                Dictionary<string, object?> map => map.GetValueOrDefault((string)values[1]!),
                List<object?> list => (long)values[1]! is var at && at >= 0 && at < list.Count ? list[(int)at] : null,
                _ => null,
            },
            "createarray" => values,
            "createobject" => values.Chunk(2).ToDictionary(pair => (string)pair[0]!, pair => pair[1], StringComparer.OrdinalIgnoreCase),
            "objectkeys" => ((Dictionary<string, object?>)values[0]!).Keys.Cast<object?>().ToList(),
            "union" => values.Cast<Dictionary<string, object?>>().SelectMany(map => map).GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase),
            "filter" => ((List<object?>)values[0]!).Where(item => Truthy(Apply((Lambda)values[1]!, item))).ToList(),
            "toobject" => ((List<object?>)values[0]!).ToDictionary(
                item => (string)Apply((Lambda)values[1]!, item)!, item => values.Count > 2 ? Apply((Lambda)values[2]!, item) : item, StringComparer.OrdinalIgnoreCase),
            _ => throw new NotSupportedException($"the template function {name}"),
        };
    }

    private object? Parameter(string name)
    {
        if (parameters.TryGetValue(name, out var value))
        {
            return value;
        }

        var declared = template.GetProperty("parameters").GetProperty(name);
        return declared.TryGetProperty("defaultValue", out var defaultValue) ? Evaluate(defaultValue) : throw new ArgumentException($"parameter '{name}' is required");
    }

    private object? Apply(Lambda lambda, object? argument)
    {
        lambdaVariables[lambda.Parameters[0]] = argument;
        try
        {
            return Evaluate(lambda.Body);
        }
        finally
        {
            lambdaVariables.Remove(lambda.Parameters[0]);
        }
    }

    private static bool Truthy(object? value) => value is true;

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        bool flag => flag ? "True" : "False",
        long number => number.ToString(CultureInfo.InvariantCulture),
        Reference reference => reference.Text,
        var other => JsonSerializer.Serialize(other),
    };

    private static bool Same(object? left, object? right) => (left, right) switch
    {
        (string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase),
        _ => object.Equals(left, right),
    };

    /// <summary>A value Azure knows only at deployment: its text stands for it.</summary>
    private sealed record Reference(string Text)
    {
        public override string ToString() => Text;
    }

    private sealed record Lambda(IReadOnlyList<string> Parameters, Node Body);

    private abstract record Node;

    private sealed record Literal(object? Value) : Node;

    private sealed record Member(Node Target, string Name) : Node;

    private sealed record Indexer(Node Target, Node Key) : Node;

    private sealed record Call(string Name, IReadOnlyList<Node> Arguments) : Node;

    /// <summary>The expression grammar: <c>'text'</c> (<c>''</c> a quote), integers, <c>f(a, b)</c>, <c>.name</c> and <c>[index]</c>.</summary>
    private sealed class Parser(string text)
    {
        private int position;

        public Node ParseAll()
        {
            var node = Parse();
            SkipSpace();
            return position == text.Length ? node : throw Error("end of expression");
        }

        private Node Parse()
        {
            var node = Primary();
            while (true)
            {
                SkipSpace();
                if (Accept('.'))
                {
                    node = new Member(node, Identifier());
                }
                else if (Accept('['))
                {
                    var key = Parse();
                    Expect(']');
                    node = new Indexer(node, key);
                }
                else
                {
                    return node;
                }
            }
        }

        private Node Primary()
        {
            SkipSpace();
            if (Accept('\''))
            {
                var value = new StringBuilder();
                while (true)
                {
                    if (position >= text.Length)
                    {
                        throw Error("closing quote");
                    }

                    var c = text[position++];
                    if (c == '\'')
                    {
                        // '' inside a literal is one quote.
                        if (position < text.Length && text[position] == '\'')
                        {
                            position++;
                        }
                        else
                        {
                            return new Literal(value.ToString());
                        }
                    }

                    value.Append(c);
                }
            }

            if (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '-'))
            {
                var start = position++;
                while (position < text.Length && char.IsAsciiDigit(text[position]))
                {
                    position++;
                }

                return new Literal(long.Parse(text[start..position], CultureInfo.InvariantCulture));
            }

            var name = Identifier();
            Expect('(');
            var arguments = new List<Node>();
            SkipSpace();
            if (!Accept(')'))
            {
                do
                {
                    arguments.Add(Parse());
                    SkipSpace();
                }
                while (Accept(','));
                Expect(')');
            }

            return new Call(name, arguments);
        }

        private string Identifier()
        {
            SkipSpace();
            var start = position;
            while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '_'))
            {
                position++;
            }

            return position > start ? text[start..position] : throw Error("a name");
        }

        private void SkipSpace()
        {
            while (position < text.Length && text[position] == ' ')
            {
                position++;
            }
        }

        private bool Accept(char c)
        {
            SkipSpace();
            if (position < text.Length && text[position] == c)
            {
                position++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            if (!Accept(c))
            {
                throw Error($"'{c}'");
            }
        }

        private FormatException Error(string expected) => new($"expected {expected} at {position} in [{text}]");
    }
}
