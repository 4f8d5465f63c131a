using System.Text.Json;

namespace Intake.Tests.Functions;

/// <summary>One function as the Worker SDK's build declares it to the Functions host, its trigger binding read.</summary>
internal sealed record FunctionDeclaration(
    string Name, string EntryPoint, string Trigger, IReadOnlyList<string> HttpMethods, string? Route, string? AuthorizationLevel,
    string? Queue, string? Connection, string? Cardinality, string? Schedule)
{
    /// <summary>The class part of <see cref="EntryPoint"/> (<c>Intake.Functions.AgentFunctions</c>).</summary>
    public string TypeName => EntryPoint[..EntryPoint.LastIndexOf('.')];

    public string MethodName => EntryPoint[(EntryPoint.LastIndexOf('.') + 1)..];

    public override string ToString() => $"{Name} ({EntryPoint})";
}

/// <summary>
/// The <c>functions.metadata</c> that the Worker SDK writes when it builds <c>functions/Intake.Functions</c> (read with
/// Mono.Cecil from the compiled assembly, so it says what the host will index, not what the source seems to say). The
/// test project references the Functions project, which copies the file beside the tests.
/// </summary>
internal static class FunctionsMetadata
{
    public static string FilePath { get; } = Path.Combine(AppContext.BaseDirectory, "functions.metadata");

    public static IReadOnlyList<FunctionDeclaration> Functions { get; } = Read(File.ReadAllText(FilePath));

    public static IReadOnlyList<FunctionDeclaration> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return
        [
            .. document.RootElement.EnumerateArray().Select(function =>
            {
                var trigger = function.GetProperty("bindings").EnumerateArray()
                    .Single(b => b.GetProperty("direction").GetString() == "In" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
                return new FunctionDeclaration(
                    function.GetProperty("name").GetString()!,
                    function.GetProperty("entryPoint").GetString()!,
                    trigger.GetProperty("type").GetString()!,
                    trigger.TryGetProperty("methods", out var methods) ? [.. methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())] : [],
                    String(trigger, "route"),
                    String(trigger, "authLevel"),
                    String(trigger, "queueName"),
                    String(trigger, "connection"),
                    String(trigger, "cardinality"),
                    String(trigger, "schedule"));
            }),
        ];
    }

    private static string? String(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;
}
