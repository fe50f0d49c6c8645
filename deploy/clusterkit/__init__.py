"""The local cluster (deploy/cluster): layout, supervisor, commands."""
