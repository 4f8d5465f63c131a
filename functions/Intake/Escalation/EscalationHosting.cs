using Intake.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Escalation;

public static class EscalationHosting
{
    /// <summary>
    /// The SLA monitor (the host runs it on its schedule), the escalation notices to on-call and the worker's handler
    /// for an escalation. Needs <c>AddSla</c> (the options and the due-time index) and <c>AddOutbound</c>.
    /// </summary>
    public static IHostApplicationBuilder AddEscalation(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<EscalationNotifier>();
        builder.Services.AddSingleton<SlaMonitor>();
        builder.Services.AddTicketEventHandler<EscalationHandler>();
        return builder;
    }
}
