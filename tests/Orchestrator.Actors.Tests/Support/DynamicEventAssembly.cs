using System.Reflection;
using System.Reflection.Emit;
using Orchestrator.Core.History;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>
/// An in-memory assembly whose types carry the given [EventManifest] names — a second "component" for the duplicate
/// specs, kept out of this test assembly (which the journal specs register and must stay valid).
/// </summary>
public static class DynamicEventAssembly
{
    public static Assembly WithEvents(params (string TypeName, string Manifest)[] events)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName($"DynamicEvents{Guid.NewGuid():N}"), AssemblyBuilderAccess.Run);
        var module = assembly.DefineDynamicModule("Events");
        var attributeConstructor = typeof(EventManifestAttribute).GetConstructor([typeof(string)])!;
        foreach (var (typeName, manifest) in events)
        {
            var type = module.DefineType($"Other.Component.{typeName}", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class);
            type.SetCustomAttribute(new CustomAttributeBuilder(attributeConstructor, [manifest]));
            type.DefineDefaultConstructor(MethodAttributes.Public);
            type.CreateType();
        }
        return assembly;
    }
}
