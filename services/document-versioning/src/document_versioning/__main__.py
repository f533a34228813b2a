import sys

from crm_shared.runtime import main
from document_versioning.bootstrap import build
from document_versioning.config import SERVICE, Settings

if __name__ == "__main__":
    sys.exit(main(SERVICE, __file__, Settings, build))
