using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Intake.Tests.Functions;

/// <summary>
/// "No trigger body does more than delegate" (DESIGN §9), on the syntax tree: the body is one expression (<c>=&gt; X(...)</c>)
/// or one <c>return</c> of one, and that expression is a single invocation (awaited or not) of a member — a handler or a
/// worker — whose arguments are literals, the trigger's own parameters or the class's injected services, or members and
/// indexers of them (<c>req.HttpContext</c>, <c>req.Query["lang"]</c>): no statements, conditions, lambdas or further calls.
/// </summary>
internal static class Delegation
{
    /// <summary>Why <paramref name="method"/> is more than a delegation, or null when it is one.</summary>
    public static string? Check(MethodDeclarationSyntax method)
    {
        ArgumentNullException.ThrowIfNull(method);
        ExpressionSyntax? expression;
        if (method.ExpressionBody is { } arrow)
        {
            expression = arrow.Expression;
        }
        else if (method.Body is { Statements: [ReturnStatementSyntax { Expression: { } returned }] })
        {
            expression = returned;
        }
        else
        {
            return $"its body has {method.Body?.Statements.Count ?? 0} statements; it must be one expression or one return";
        }

        if (expression is AwaitExpressionSyntax awaited)
        {
            expression = awaited.Expression;
        }

        if (expression is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax target } invocation)
        {
            return $"'{expression}' is not a single call of a handler";
        }

        if (target.Expression.DescendantNodesAndSelf().Any(node => node is not (IdentifierNameSyntax or MemberAccessExpressionSyntax)))
        {
            return $"'{target}' is not a plain member of a type or service";
        }

        var own = method.ParameterList.Parameters.Select(p => p.Identifier.Text)
            .Concat(((TypeDeclarationSyntax)method.Parent!).ParameterList?.Parameters.Select(p => p.Identifier.Text) ?? [])
            .ToHashSet(StringComparer.Ordinal);
        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            if (argument.NameColon is not null || !argument.RefKindKeyword.IsKind(SyntaxKind.None))
            {
                return $"argument '{argument}' is not passed plainly";
            }

            if (argument.Expression is LiteralExpressionSyntax)
            {
                continue;
            }

            if (Root(argument.Expression) is not { } root)
            {
                return $"argument '{argument}' computes something";
            }

            if (!own.Contains(root))
            {
                return $"argument '{argument}' is neither the trigger's parameter nor an injected service";
            }
        }

        return null;
    }

    /// <summary>The identifier an argument starts from, when it is only that, its members and literal indexers.</summary>
    private static string? Root(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.Text,
        MemberAccessExpressionSyntax member => Root(member.Expression),
        ElementAccessExpressionSyntax element when element.ArgumentList.Arguments.All(a => a.Expression is LiteralExpressionSyntax) => Root(element.Expression),
        _ => null,
    };
}
