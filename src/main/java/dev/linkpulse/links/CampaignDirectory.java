package dev.linkpulse.links;

import java.util.Optional;

/** How links find a campaign named by a request (its UUID or its name), within one workspace. */
@FunctionalInterface
public interface CampaignDirectory {

    CampaignDirectory NONE = (workspaceId, idOrName) -> Optional.empty();

    /** The id of the workspace's campaign with this id or name; empty when there is none in it. */
    Optional<String> idOf(String workspaceId, String idOrName);
}
