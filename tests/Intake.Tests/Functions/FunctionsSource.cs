using Intake.Server.Storage;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Intake.Tests.Functions;

/// <summary>
/// <c>functions/Intake.Functions/*.cs</c> read with Roslyn, for what the build's metadata cannot say: what a trigger's body
/// does (<see cref="Delegation"/>) and what it passes to its handler.
/// </summary>
internal static class FunctionsSource
{
    public static string RepositoryRoot { get; } = Azurite.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"No repository root above {AppContext.BaseDirectory}.");

    public static string ProjectDirectory { get; } = Path.Combine(RepositoryRoot, "functions", "Intake.Functions");

    private static IReadOnlyList<MethodDeclarationSyntax> Methods { get; } =
    [
        .. Directory.GetFiles(ProjectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Preview), path).GetRoot())
            .SelectMany(root => root.DescendantNodes().OfType<MethodDeclarationSyntax>()),
    ];

    /// <summary>The source of a function's method, found by its class and method name.</summary>
    public static MethodDeclarationSyntax MethodOf(FunctionDeclaration function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var type = function.TypeName[(function.TypeName.LastIndexOf('.') + 1)..];
        return Methods.Single(m => m.Identifier.Text == function.MethodName && m.Parent is TypeDeclarationSyntax t && t.Identifier.Text == type);
    }
}
