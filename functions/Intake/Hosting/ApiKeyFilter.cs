using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Intake.Hosting;

/// <summary>
/// Agent and metrics routes: the <c>x-api-key</c> header must equal one of <c>Intake:ApiKeys</c> (compared in
/// constant time), else 401 with ProblemDetails. No keys configured: nobody gets in.
/// </summary>
public sealed class ApiKeyFilter(IOptionsMonitor<IntakeOptions> options) : IEndpointFilter
{
    public const string Header = "x-api-key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var given = Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers[Header].ToString());
        var allowed = false;
        foreach (var key in options.CurrentValue.ApiKeys)
        {
            // Every key is compared, so the time taken says nothing about which one nearly matched.
            allowed |= key.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        if (!allowed)
        {
            return TypedResults.Problem("A valid x-api-key header is required.", statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context).ConfigureAwait(false);
    }
}
