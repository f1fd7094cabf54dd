# Rendered by `raftswarm render` from ${inventory} for ${host.name} (${host.address}).
# docker-compose reads this file from the bundle directory (${host.bundleDir}).
COMPOSE_PROJECT_NAME=${projectName}
RAFTSWARM_NETWORK=${network.name}
RAFTSWARM_HOST=${host.name}
RAFTSWARM_WORKDIR=${host.workDir}
IMAGE_ORDERER=${images.orderer}
IMAGE_PEER=${images.peer}
