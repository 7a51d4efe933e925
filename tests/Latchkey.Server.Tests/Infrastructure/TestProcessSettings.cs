using System.Runtime.CompilerServices;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>Settings every server built in this test process shares.</summary>
internal static class TestProcessSettings
{
    /// <summary>
    /// No configuration file watchers: each host would hold inotify instances (Linux allows 128 per user, shared by
    /// every test run on the machine), and no test changes appsettings.json while a server runs.
    /// </summary>
    [ModuleInitializer]
    internal static void DisableConfigurationReload() =>
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
