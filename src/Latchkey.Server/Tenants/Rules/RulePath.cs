namespace Latchkey.Server.Tenants.Rules;

/// <summary>Paths in rule problems: <c>clients[2]</c> + <c>callbacks</c> → <c>clients[2].callbacks</c>.</summary>
internal static class RulePath
{
    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Index(string path, int index) => $"{path}[{index}]";
}
