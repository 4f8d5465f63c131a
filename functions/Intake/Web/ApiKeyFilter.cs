using Microsoft.AspNetCore.Http;

namespace Intake.Web;

/// <summary>
/// The server's agent and metrics groups: 401 with ProblemDetails unless <c>x-api-key</c> is one of <c>Intake:ApiKeys</c>
/// (<see cref="AgentKeys"/>), before anything is read. The handlers ask <see cref="AgentKeys"/> again (answered from the
/// request), because under Azure Functions no filter runs and the handler is the only check.
/// </summary>
public sealed class ApiKeyFilter(AgentKeys agents) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return agents.Authenticate(context.HttpContext) is null ? AgentKeys.Unauthorized() : await next(context).ConfigureAwait(false);
    }
}
