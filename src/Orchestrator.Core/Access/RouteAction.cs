namespace Orchestrator.Core.Access;

/// <summary>What a route does, as far as authorization is concerned.</summary>
public enum RouteAction
{
    /// <summary>Health, readiness, the OpenAPI document: anyone who reached the server.</summary>
    Public,
    /// <summary>Submit a call (<c>POST /v1/calls</c>) for an agent.</summary>
    SubmitCall,
    /// <summary>Judge a call without recording it.</summary>
    CheckCall,
    /// <summary>Read one call, its events or its output.</summary>
    ReadCall,
    ListApprovals,
    AnswerApproval,
    ListGrants,
    RevokeGrant,
    ReadRefusals,
    /// <summary>List the history, replay it against another policy, read the shadow policy's disagreements.</summary>
    ReadHistory,
    ManageTokens,
    /// <summary>Who am I (the console's session): any principal.</summary>
    ReadSession,
}
