using Intake.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;

namespace Intake.Functions;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.AddIntakeFunctions();
        return await builder.Build().RunIntakeAsync().ConfigureAwait(false);
    }
}
