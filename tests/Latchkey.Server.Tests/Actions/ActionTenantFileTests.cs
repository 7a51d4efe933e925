using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Tenants;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Tests.Actions;

/// <summary>Actions in the tenant file are checked before anything is written (the import is Latchkey's deploy).</summary>
public sealed class ActionTenantFileTests
{
    [Fact]
    public async Task TenantFile_ActionThatDoesNotCompile_RefusedWithLineAndNothingWritten()
    {
        using var host = new TenantHost();
        var json = ActionTenant.Json(new ActionSpec("broken", "exports.onExecutePostLogin = async (event, api) => {\n  const x = ;\n};"));

        var error = await Assert.ThrowsAsync<TenantFileException>(() => host.BuildWithFileAsync(json));

        Assert.Contains("actions[0].code: does not compile: line 2, column 13", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await host.CountAsync()).Users);
        Assert.Equal(0, await host.QueryAsync(db => db.Set<Server.Actions.ActionDefinition>().CountAsync()));
    }

    [Fact]
    public async Task TenantFile_ActionThatRequiresAModule_RefusedNamingTheModule()
    {
        using var host = new TenantHost();
        var json = ActionTenant.Json(new ActionSpec("axios", "const axios = require('axios');\nexports.onExecutePostLogin = async () => {};"));

        var error = await Assert.ThrowsAsync<TenantFileException>(() => host.BuildWithFileAsync(json));

        Assert.Contains("actions[0].code: line 1: require('axios') is not available", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenantFile_BindingToUnknownOrUnsupportedAction_Refused()
    {
        using var host = new TenantHost();
        var json = ActionTenant.Json(new ActionSpec("m2m", "exports.onExecuteCredentialsExchange = async () => {};", "credentials-exchange"))
            .Replace("\"credentials-exchange\":[{\"action_name\":\"m2m\"", "\"post-login\":[{\"action_name\":\"missing\"},{\"action_name\":\"m2m\"}],\"credentials-exchange\":[{\"action_name\":\"m2m\"", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<TenantFileException>(() => host.BuildWithFileAsync(json));

        Assert.Contains("triggers.post-login[0].action_name: unknown action \"missing\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("triggers.post-login[1].action_name: action \"m2m\" does not support the trigger post-login", error.Message, StringComparison.Ordinal);
    }
}
