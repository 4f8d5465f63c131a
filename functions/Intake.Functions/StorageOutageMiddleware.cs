using Intake.Hosting;
using Intake.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Intake.Functions;

/// <summary>
/// The Functions host's counterpart of the server's <see cref="StorageOutageFilter"/>: an HTTP function that meets a storage
/// or Service Bus outage answers 503 with <c>Retry-After</c> (<see cref="StorageOutage"/>) instead of the host's 500.
/// Other triggers, and other faults, throw as before.
/// </summary>
internal sealed partial class StorageOutageMiddleware(ILogger<StorageOutageMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageOutage.Is(ex) && context.GetHttpContext() is { Response.HasStarted: false, RequestAborted.IsCancellationRequested: false } http)
        {
            LogOutage(logger, context.FunctionDefinition.Name, ex);
            await StorageOutage.Problem(http.Response).ExecuteAsync(http).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage or Service Bus did not answer in {Function}; answered 503")]
    private static partial void LogOutage(ILogger logger, string function, Exception exception);
}
