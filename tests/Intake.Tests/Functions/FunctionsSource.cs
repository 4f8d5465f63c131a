using Intake.Storage;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Intake.Tests.Functions;

/// <summary>A <c>[Function]</c> method of <c>functions/Intake.Functions</c> as its syntax says, trigger attribute read.</summary>
internal sealed record FunctionTrigger(
    string Name, TypeDeclarationSyntax Type, MethodDeclarationSyntax Method, string Trigger, IReadOnlyList<string> HttpMethods, string? Route,
    string? AuthorizationLevel, string? Queue, string? Connection)
{
    public override string ToString() => $"{Type.Identifier.Text}.{Method.Identifier.Text} ([Function(\"{Name}\")])";
}

/// <summary>
/// Reads <c>functions/Intake.Functions/*.cs</c> with Roslyn. That project cannot be built on our machines (its packages are
/// not on the feed), so its source is what the tests hold to the server and to the design.
/// </summary>
internal static class FunctionsSource
{
    public static string RepositoryRoot { get; } = Azurite.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"No repository root above {AppContext.BaseDirectory}.");

    public static string ProjectDirectory { get; } = Path.Combine(RepositoryRoot, "functions", "Intake.Functions");

    public static IReadOnlyList<SyntaxTree> Trees { get; } =
    [
        .. Directory.GetFiles(ProjectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Preview), path)),
    ];

    public static IReadOnlyList<FunctionTrigger> Triggers { get; } = [.. Trees.SelectMany(tree => Read(tree.GetRoot()))];

    public static IEnumerable<FunctionTrigger> Read(SyntaxNode root)
    {
        foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            if (Attribute(method.AttributeLists, "Function") is not { } function)
            {
                continue;
            }

            var name = Literal(function.ArgumentList?.Arguments.FirstOrDefault()?.Expression) ?? "";
            var type = (TypeDeclarationSyntax)method.Parent!;
            foreach (var parameter in method.ParameterList.Parameters)
            {
                if (Attribute(parameter.AttributeLists, "HttpTrigger") is { } http)
                {
                    var arguments = http.ArgumentList?.Arguments ?? default;
                    yield return new FunctionTrigger(
                        name, type, method, "http",
                        [.. arguments.Where(a => a.NameEquals is null && a.Expression is LiteralExpressionSyntax).Select(a => Literal(a.Expression)!.ToUpperInvariant())],
                        Named(arguments, "Route"),
                        arguments.FirstOrDefault(a => a.NameEquals is null && a.Expression is MemberAccessExpressionSyntax)?.Expression is MemberAccessExpressionSyntax level
                            ? level.Name.Identifier.Text
                            : null,
                        null, null);
                }
                else if (Attribute(parameter.AttributeLists, "ServiceBusTrigger") is { } serviceBus)
                {
                    var arguments = serviceBus.ArgumentList?.Arguments ?? default;
                    yield return new FunctionTrigger(
                        name, type, method, "serviceBus", [], null, null,
                        Literal(arguments.FirstOrDefault(a => a.NameEquals is null)?.Expression), Named(arguments, "Connection"));
                }
                else if (Attribute(parameter.AttributeLists, "TimerTrigger") is not null)
                {
                    yield return new FunctionTrigger(name, type, method, "timer", [], null, null, null, null);
                }
            }
        }
    }

    /// <summary>Compared as paths: no leading or trailing slash; parameter names as they are.</summary>
    public static string NormaliseRoute(string route) => route.Trim('/');

    private static AttributeSyntax? Attribute(SyntaxList<AttributeListSyntax> lists, string name) =>
        lists.SelectMany(list => list.Attributes).FirstOrDefault(attribute => attribute.Name.ToString() is var n && (n == name || n == name + "Attribute"));

    private static string? Named(SeparatedSyntaxList<AttributeArgumentSyntax> arguments, string name) =>
        Literal(arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == name)?.Expression);

    private static string? Literal(ExpressionSyntax? expression) =>
        expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression) ? literal.Token.ValueText : null;
}
