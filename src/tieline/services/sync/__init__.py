"""Capture that keeps itself current: connections to mail and calendar accounts (`connections`,
their passwords in `secrets`), a sync run that stores what a connector fetched as one import run
(`run`), and the queue of correspondents who match nobody yet (`discovered`)."""
