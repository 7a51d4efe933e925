using Latchkey.Server.Hosting;
using Latchkey.Server.Tenants;
using Microsoft.Extensions.Options;

WebApplication app;
try
{
    app = await LatchkeyServer.BuildAsync(args);
}
catch (TenantFileException ex)
{
    // An operator error, not a crash: say what to fix, no stack trace.
    await Console.Error.WriteLineAsync("Latchkey did not start: the tenant file is invalid.");
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync("Latchkey did not start: the configuration is invalid.");
    await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, ex.Failures));
    return 1;
}

await app.RunAsync();
return 0;
