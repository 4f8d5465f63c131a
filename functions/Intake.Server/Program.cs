using Intake.Channels.Telegram;
using Intake.Channels.WebForm;
using Intake.Hosting;
using Intake.Messaging;
using Intake.Server.Hosting;
using Intake.Server.Messaging;
using Intake.Server.Storage;
using Intake.Triage;

if (args is ["triage", .. var triageArgs])
{
    return await TriageCommand.RunOnConsoleAsync(triageArgs);
}

if (args is ["telegram", .. var telegramArgs])
{
    return await TelegramCommand.RunAsync(telegramArgs, Console.Out, Console.Error);
}

if (args is ["dead-letters", .. var deadLetterArgs])
{
    return await DeadLetterCommand.RunAsync(deadLetterArgs, Console.Out, Console.Error);
}

if (args is ["poison", .. var poisonArgs])
{
    return await PoisonCommand.RunAsync(poisonArgs, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddDevelopmentStorage();
builder.AddIntake();
builder.AddStorageQueueWorker();
builder.AddSlaMonitor();
builder.AddOutboxSweeper();
builder.AddServerTelemetry();
var app = builder.Build();
app.MapIntake();

// The server's front door: whoever opens its address finds the support form. Under Functions the root is the platform's.
app.MapGet("/", () => Results.Redirect(SupportPageEndpoints.FormPath));
return await app.RunIntakeAsync();

public partial class Program;
