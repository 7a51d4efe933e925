using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;

if (args is ["migrate", .. var migrateArgs])
{
    return await LatchkeyServer.MigrateAsync(migrateArgs, Console.Out);
}

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
catch (SchemaNotCurrentException ex)
{
    await Console.Error.WriteLineAsync("Latchkey did not start: " + ex.Message);
    return 1;
}

await app.RunAsync();
return 0;
