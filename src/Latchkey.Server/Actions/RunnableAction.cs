using Acornima.Ast;
using Jint;

namespace Latchkey.Server.Actions;

/// <summary>
/// A deployed Action bound to a trigger, ready to run: its deployed code parsed once (<see cref="Script"/>) and its
/// secrets decrypted. <see cref="Problem"/> is set instead when the stored code no longer parses (it was checked at
/// deploy time, so this means a Jint upgrade disagrees): running it then fails closed.
/// </summary>
internal sealed record RunnableAction(
    string Id,
    string Name,
    int Version,
    Prepared<Script>? Script,
    string? Problem,
    IReadOnlyDictionary<string, string> Secrets);
