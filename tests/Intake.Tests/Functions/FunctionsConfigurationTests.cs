using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Intake.Messaging;
using Intake.Tests.Integration;
using Intake.Web;

namespace Intake.Tests.Functions;

/// <summary>
/// host.json, local.settings.example.json, the Service Bus emulator's Config.json and the Bicep agree with the queue
/// names and settings the code uses.
/// </summary>
public partial class FunctionsConfigurationTests(AzuriteFixture azurite)
{
    private static readonly string Root = FunctionsSource.RepositoryRoot;

    private static readonly string[] QueueNames = [.. TicketQueues.ByPriority.Select(TicketQueues.NameFor)];

    /// <summary>DESIGN §9's configuration, in app-setting form.</summary>
    private static readonly string[] DesignSettings =
    [
        "AzureWebJobsStorage", "ServiceBusConnection", "Intake__PublicBaseUrl", "Intake__ApiKeys__*", "Surveys__SigningKey", "SendGrid__ApiKey",
        "SendGrid__FromEmail", "SendGrid__InboundUser", "SendGrid__InboundPassword", "Telegram__BotToken", "Telegram__SecretToken", "Meta__AppSecret",
        "Meta__VerifyToken", "Meta__PageAccessToken", "WhatsApp__AccessToken", "WhatsApp__PhoneNumberId", "X__ConsumerSecret", "X__AccessToken",
        "SendGrid__BaseUrl", "Telegram__BaseUrl", "Meta__BaseUrl", "X__BaseUrl",
    ];

    private static JsonElement ReadJson(params string[] path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine([Root, .. path])));
        return document.RootElement.Clone();
    }

    private static Dictionary<string, string> LocalSettings() =>
        ReadJson("local.settings.example.json").GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);

    /// <summary>
    /// Every setting an options class in functions/Intake binds, as <c>Section__Property</c> (lists as <c>__0</c>, maps by
    /// name as <c>__*</c>: any one name).
    /// </summary>
    private static IEnumerable<string> OptionsSettings()
    {
        foreach (var type in typeof(IntakeOptions).Assembly.GetTypes())
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } section)
            {
                foreach (var key in Keys(((string)section.GetRawConstantValue()!).Replace(":", "__", StringComparison.Ordinal), type))
                {
                    yield return key;
                }
            }
        }
    }

    private static IEnumerable<string> Keys(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var key = $"{prefix}__{property.Name}";
            if (propertyType.IsPrimitive || propertyType.IsEnum || propertyType == typeof(string) || propertyType == typeof(Uri) || propertyType == typeof(TimeSpan))
            {
                yield return key;
            }
            else if (propertyType.IsAssignableTo(typeof(IEnumerable<KeyValuePair<string, string>>)))
            {
                yield return key + "__*";
            }
            else if (propertyType.IsAssignableTo(typeof(IEnumerable<string>)))
            {
                yield return key + "__0";
            }
            else
            {
                foreach (var nested in Keys(key, propertyType))
                {
                    yield return nested;
                }
            }
        }
    }

    [Fact]
    public void Host_json_serves_full_routes_lets_service_bus_retry_and_dead_letter_and_keeps_request_paths_out_of_the_logs()
    {
        var host = ReadJson("host.json");

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal("", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        var serviceBus = host.GetProperty("extensions").GetProperty("serviceBus");
        Assert.True(serviceBus.GetProperty("autoCompleteMessages").GetBoolean(), "a trigger that throws must abandon, so that Service Bus redelivers");
        Assert.Equal("00:05:00", serviceBus.GetProperty("maxAutoLockRenewalDuration").GetString());
        Assert.InRange(serviceBus.GetProperty("maxConcurrentCalls").GetInt32(), 1, 64);
        Assert.InRange(serviceBus.GetProperty("prefetchCount").GetInt32(), 0, 32);
        Assert.Equal("Exponential", serviceBus.GetProperty("clientRetryOptions").GetProperty("mode").GetString());
        Assert.Equal("00:05:00", host.GetProperty("functionTimeout").GetString());
        var levels = host.GetProperty("logging").GetProperty("logLevel");
        Assert.Equal("Information", levels.GetProperty("default").GetString());
        Assert.Equal("Warning", levels.GetProperty("Azure").GetString());
        Assert.Equal("Warning", levels.GetProperty("System.Net.Http.HttpClient").GetString());

        // The host's tracking of its own calls to the worker logged query strings (tokens) before the February 2026 fix.
        Assert.False(host.GetProperty("logging").GetProperty("applicationInsights").GetProperty("enableDependencyTracking").GetBoolean());

        // Request logging prints the URL with its query, and a survey's query carries its token: only warnings.
        Assert.Equal("Warning", levels.GetProperty("Microsoft.AspNetCore.Hosting.Diagnostics").GetString());
        Assert.Equal("Warning", levels.GetProperty("Microsoft.AspNetCore.Routing.Matching").GetString());
    }

    [Fact]
    public void Local_settings_run_on_azurite_and_the_service_bus_emulator()
    {
        var settings = LocalSettings();

        Assert.Equal("UseDevelopmentStorage=true", settings["AzureWebJobsStorage"]);
        Assert.Equal("dotnet-isolated", settings["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal(
            "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
            settings[ServiceBusMapping.ConnectionSetting]);
    }

    [Fact]
    public void Local_settings_name_every_setting_of_the_design_and_of_every_options_class()
    {
        var settings = LocalSettings();
        var expected = DesignSettings.Concat(OptionsSettings()).Distinct(StringComparer.Ordinal).ToList();

        Assert.Contains("Sla__Urgent__FirstResponse", expected);
        Assert.Contains("WebForm__Window", expected);
        var missing = expected.Where(key => key.EndsWith("__*", StringComparison.Ordinal)
            ? !settings.Keys.Any(k => k.StartsWith(key[..^1], StringComparison.Ordinal))
            : !settings.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0, "missing from local.settings.example.json: " + string.Join(", ", missing));
    }

    [Fact]
    public void No_local_setting_looks_like_a_real_secret()
    {
        foreach (var (key, value) in LocalSettings())
        {
            if (key == ServiceBusMapping.ConnectionSetting)
            {
                Assert.Contains("SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true", value, StringComparison.Ordinal);
                continue;
            }

            var placeholder = value.Length == 0 || value.StartsWith("replace-me-", StringComparison.Ordinal);
            Assert.True(placeholder || !SecretName().IsMatch(key), $"{key} must be empty or a replace-me- placeholder");
            Assert.True(placeholder || !SecretLooking().IsMatch(value), $"{key}'s value looks like a secret");
        }
    }

    [Fact]
    public async Task The_example_settings_pass_validation_at_start()
    {
        // As the Functions host reads them (__ is :), less storage, which the test host points at its Azurite, and SendGrid,
        // which it points at its fake.
        var settings = LocalSettings()
            .Where(s => s.Key.Contains("__", StringComparison.Ordinal) && !s.Key.StartsWith("Storage__", StringComparison.Ordinal) && !s.Key.StartsWith("SendGrid__", StringComparison.Ordinal))
            .ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => s.Value, StringComparer.Ordinal);

        await using var host = await IntakeHost.StartAsync(azurite, settings);
        using var client = host.CreateClient();
        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void The_emulator_declares_the_four_queues_as_the_code_uses_them()
    {
        var namespaces = ReadJson("infra", "local", "Config.json").GetProperty("UserConfig").GetProperty("Namespaces");
        var ns = Assert.Single(namespaces.EnumerateArray());
        Assert.Equal("sbemulatorns", ns.GetProperty("Name").GetString());
        var queues = ns.GetProperty("Queues").EnumerateArray().ToList();

        Assert.Equal(QueueNames, queues.Select(q => q.GetProperty("Name").GetString()));
        Assert.All(queues, queue =>
        {
            var properties = queue.GetProperty("Properties");
            Assert.Equal(TicketQueues.MaxDeliveries, properties.GetProperty("MaxDeliveryCount").GetInt32());
            Assert.True(properties.GetProperty("RequiresDuplicateDetection").GetBoolean());
            Assert.True(properties.GetProperty("DeadLetteringOnMessageExpiration").GetBoolean());
            Assert.False(properties.GetProperty("RequiresSession").GetBoolean());
            Assert.InRange(System.Xml.XmlConvert.ToTimeSpan(properties.GetProperty("DuplicateDetectionHistoryTimeWindow").GetString()!), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));
            Assert.InRange(System.Xml.XmlConvert.ToTimeSpan(properties.GetProperty("DefaultMessageTimeToLive").GetString()!), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        });
    }

    [Fact]
    public void The_compose_file_mounts_the_config_and_opens_amqp_and_management()
    {
        var compose = File.ReadAllText(Path.Combine(Root, "infra", "local", "compose.yaml"));

        Assert.Contains("./Config.json:/ServiceBus_Emulator/ConfigFiles/Config.json", compose, StringComparison.Ordinal);
        Assert.Contains("\"5672:5672\"", compose, StringComparison.Ordinal);
        Assert.Contains("\"5300:5300\"", compose, StringComparison.Ordinal);
        Assert.Contains("${MSSQL_SA_PASSWORD:-change-me", compose, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bicep_declares_the_four_queues_as_the_code_uses_them()
    {
        var bicep = File.ReadAllText(Path.Combine(Root, "infra", "main.bicep"));

        var declared = QueueArray().Match(bicep);
        Assert.True(declared.Success, "main.bicep has no ticketQueues array");
        Assert.Equal(QueueNames, QuotedName().Matches(declared.Groups[1].Value).Select(m => m.Groups[1].Value));
        Assert.Contains($"maxDeliveryCount: {TicketQueues.MaxDeliveries}", bicep, StringComparison.Ordinal);
        Assert.Contains("requiresDuplicateDetection: true", bicep, StringComparison.Ordinal);
        Assert.Contains("deadLetteringOnMessageExpiration: true", bicep, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bicep_connects_by_identity_and_keeps_every_secret_setting_in_key_vault()
    {
        var bicep = File.ReadAllText(Path.Combine(Root, "infra", "main.bicep"));

        Assert.Contains("AzureWebJobsStorage__accountName:", bicep, StringComparison.Ordinal);
        Assert.Contains($"{ServiceBusMapping.ConnectionSetting}__fullyQualifiedNamespace:", bicep, StringComparison.Ordinal);
        Assert.Contains("runtime: { name: 'dotnet-isolated', version: '10.0' }", bicep, StringComparison.Ordinal);
        Assert.Contains("name: 'FC1'", bicep, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey=", bicep, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys", bicep, StringComparison.Ordinal);
        foreach (var key in LocalSettings().Keys.Where(k => SecretName().IsMatch(k) && k != ServiceBusMapping.ConnectionSetting && !k.StartsWith("Intake__ApiKeys__", StringComparison.Ordinal)))
        {
            Assert.True(
                bicep.Contains($"'{key}'", StringComparison.Ordinal) || bicep.Contains($"{key}: '@Microsoft.KeyVault(", StringComparison.Ordinal),
                $"{key} is neither a Key Vault secret setting nor a Key Vault reference in main.bicep");
        }
    }

    [GeneratedRegex("(Key|Secret|Token|Password|InboundUser)(__0)?$|__ApiKeys__")]
    private static partial Regex SecretName();

    /// <summary>Long runs of letters and digits, as keys and tokens are.</summary>
    [GeneratedRegex("(?=[A-Za-z0-9+/_:=-]*[0-9])(?=[A-Za-z0-9+/_:=-]*[A-Za-z])[A-Za-z0-9+/_:=-]{24,}")]
    private static partial Regex SecretLooking();

    [GeneratedRegex(@"var ticketQueues = \[(.*?)\]", RegexOptions.Singleline)]
    private static partial Regex QueueArray();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedName();
}
